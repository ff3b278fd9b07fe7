import { roundDiv, toSafeNumber } from '../../common/money';
import { assertMicros, hasMonthlyCap, hourlyRateFor } from './rates';
import { HOUR_SECONDS } from './time-windows';
import { BILLABLE_STATES, BillableState, HourBucket, PlanPricing } from './types';

/** One plan's share of one instance-hour: what the usage row records. */
export interface PlanHourCharge {
  planId: number;
  seconds: Record<BillableState, number>;
  /** Micro-credits per hour, per state. */
  rates: Record<BillableState, number>;
  /** The unrounded charge as 'Σ(seconds × rate)/3600' micro-credits, kept so the row can be audited. */
  exactCharge: string;
  /** The exact charge rounded once, before the monthly cap. */
  uncappedCharge: number;
  /** What is charged, in micro-credits. */
  charge: number;
  /** True when the monthly cap lowered the charge. */
  capped: boolean;
}

const zeroByState = (): Record<BillableState, number> => ({ running: 0, stopped: 0, suspended: 0 });

/**
 * Prices one settled instance-hour. `buckets` already have granularity applied;
 * `chargedThisMonth` holds what this instance has already been charged per plan in the
 * calendar month of this hour. Per plan the exact amount Σ(seconds × rate)/3600 is rounded
 * once (half away from zero), then, for a plan with both an hourly and a monthly price,
 * limited to what is left of the monthly price. Plans come out in order of first appearance;
 * a plan whose hour costs nothing still gets its row.
 */
export function chargeForHour(
  buckets: readonly HourBucket[],
  plans: ReadonlyMap<number, PlanPricing>,
  chargedThisMonth: ReadonlyMap<number, number>,
): PlanHourCharge[] {
  const byPlan = new Map<number, Record<BillableState, number>>();
  for (const b of buckets) {
    const seconds = byPlan.get(b.planId) ?? zeroByState();
    seconds[b.state] += b.seconds;
    byPlan.set(b.planId, seconds);
  }
  return [...byPlan].map(([planId, seconds]) => {
    const plan = plans.get(planId);
    if (!plan) throw new RangeError(`no pricing for plan ${planId}`);
    const rates = zeroByState();
    let exact = 0n;
    for (const state of BILLABLE_STATES) {
      rates[state] = hourlyRateFor(plan, state);
      exact += BigInt(seconds[state]) * BigInt(rates[state]);
    }
    const uncappedCharge = toSafeNumber(roundDiv(exact, BigInt(HOUR_SECONDS)));
    let charge = uncappedCharge;
    if (hasMonthlyCap(plan)) {
      const already = assertMicros(chargedThisMonth.get(planId) ?? 0, `charged this month on plan ${planId}`);
      charge = Math.min(uncappedCharge, Math.max(0, assertMicros(plan.monthlyPrice, 'monthly price') - already));
    }
    return {
      planId,
      seconds,
      rates,
      exactCharge: `${exact}/${HOUR_SECONDS}`,
      uncappedCharge,
      charge,
      capped: charge < uncappedCharge,
    };
  });
}
