import { roundDiv, toSafeNumber } from '../../common/money';
import type { InstanceEntity } from '../../instances/instance.entity';
import type { ResourceRule } from '../../metering/metering.types';
import { billsIn } from '../../metering/rating/state-filter';
import { HOUR_MS } from '../rating';

/** The window counters' future use is estimated from: the 24 settled hours before the hour in progress. */
export const COUNTER_ESTIMATE_HOURS = 24;

/**
 * Micro-credits an hour that the live instances' resource rules bill from now on, in their current states: each
 * postpaid rule with a fixed quantity, in force now, on the instance's plan and billing in its state, at
 * price × 3600 / periodSeconds × quantity. The fractions are added exactly and rounded once. A reported quantity
 * is not known ahead, and a prepaid rule is paid at the start of its period, not by the hour: neither counts here.
 */
export function fixedRulesPerHour(
  live: readonly Pick<InstanceEntity, 'planId' | 'state'>[],
  rulesByPlan: ReadonlyMap<number, readonly ResourceRule[]>,
  now: Date,
): number {
  let numerator = 0n;
  let denominator = 1n;
  for (const instance of live) {
    if (instance.state === 'terminated') continue;
    for (const rule of rulesByPlan.get(instance.planId) ?? []) {
      if (!billsByTheHour(rule, instance.state, now)) continue;
      // One hour of the fixed quantity, as settlement prices it: quantity-seconds through the rule's pricing.
      const cost = rule.pricing.costOf((rule.fixedQuantity as bigint) * BigInt(HOUR_MS / 1000));
      numerator = numerator * cost.denominator + cost.numerator * denominator;
      denominator *= cost.denominator;
      const common = gcd(numerator, denominator);
      numerator /= common;
      denominator /= common;
    }
  }
  return toSafeNumber(roundDiv(numerator, denominator));
}

function billsByTheHour(rule: ResourceRule, state: Exclude<InstanceEntity['state'], 'terminated'>, now: Date): boolean {
  const nowMs = now.getTime();
  const inForce = rule.createdAt.getTime() <= nowMs && (rule.retiredAt === null || nowMs < rule.retiredAt.getTime());
  return (
    inForce &&
    rule.kind === 'postpaid' &&
    rule.quantitySource === 'fixed' &&
    rule.fixedQuantity !== null &&
    billsIn(rule.filter, state)
  );
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

/** The hours [fromMs, untilMs) counters' use is averaged over, given the time now. */
export function counterEstimateWindow(now: Date): { fromMs: number; untilMs: number } {
  const untilMs = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return { fromMs: untilMs - COUNTER_ESTIMATE_HOURS * HOUR_MS, untilMs };
}

/** The counters' charges of the window spread over its hours, rounded once (micro-credits an hour). */
export function counterEstimatePerHour(chargedInWindow: number): number {
  return toSafeNumber(roundDiv(BigInt(chargedInWindow), BigInt(COUNTER_ESTIMATE_HOURS)));
}
