import { ESTIMATE_HOURS_PER_MONTH, HOUR_SECONDS } from '../billing/rating';
import { roundDiv } from '../common/money';
import type { ResourceRule } from '../metering/metering.types';
import { QUANTITY_SCALE } from '../common/quantities';
import { billsIn } from '../metering/rating/state-filter';

type RulePrice = Pick<ResourceRule, 'priceMicros' | 'periodSeconds'>;

/** Micro-credits: what a plan's fixed resource rules add to the quote's figures. */
export interface RuleCosts {
  hourly: bigint;
  daily: bigint;
  monthly: bigint;
  /** What the first hour charges: postpaid rules' hour, prepaid rules' first period, one-off rules. */
  firstHour: bigint;
}

export const NO_RULE_COSTS: RuleCosts = { hourly: 0n, daily: 0n, monthly: 0n, firstHour: 0n };

/** What `quantity` units (scaled by 10^6) of a periodic rule come to over `seconds`, rounded once. */
export function ruleCostOver(rule: RulePrice, quantity: bigint, seconds: number): bigint {
  return roundDiv(BigInt(rule.priceMicros) * BigInt(seconds) * quantity, BigInt(rule.periodSeconds) * QUANTITY_SCALE);
}

/** The price times `quantity` units (scaled by 10^6), rounded once: a one-off charge, or one prepaid period. */
export function rulePriceFor(rule: RulePrice, quantity: bigint): bigint {
  return roundDiv(BigInt(rule.priceMicros) * quantity, QUANTITY_SCALE);
}

/**
 * Whether the running-cost estimates (hourly, daily, monthly) count a rule: its quantity is known before the
 * instance exists (fixed), it is billed by time (not a one-off), and it bills while the instance runs. A prepaid
 * rule counts at its average over time, as a postpaid one does.
 */
export const isEstimated = (rule: ResourceRule): boolean =>
  rule.fixedQuantity !== null && rule.periodSeconds > 0 && billsIn(rule.filter, 'running');

/**
 * What a new instance's fixed resources cost while it runs, each rule rounded once a figure. The first hour also
 * carries what is charged up front: a prepaid rule's first period and a one-off rule (the instance starts
 * running). Reported quantities are unknown before the host reports them, so those rules add nothing.
 */
export function ruleCosts(rules: readonly ResourceRule[]): RuleCosts {
  const costs = { ...NO_RULE_COSTS };
  for (const rule of rules) {
    const quantity = rule.fixedQuantity;
    if (quantity === null || !billsIn(rule.filter, 'running')) continue;
    if (rule.periodSeconds === 0) {
      costs.firstHour += rulePriceFor(rule, quantity);
      continue;
    }
    const hour = ruleCostOver(rule, quantity, HOUR_SECONDS);
    costs.hourly += hour;
    costs.daily += ruleCostOver(rule, quantity, 24 * HOUR_SECONDS);
    costs.monthly += ruleCostOver(rule, quantity, ESTIMATE_HOURS_PER_MONTH * HOUR_SECONDS);
    costs.firstHour += rule.kind === 'prepaid' ? rulePriceFor(rule, quantity) : hour;
  }
  return costs;
}
