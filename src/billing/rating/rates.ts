import { BillableState, PlanPricing } from './types';

/** Prices reach here from the database; a negative or fractional one must stop billing, not be charged. */
export function assertMicros(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative whole number of micro-credits, got ${value}`);
  }
  return value;
}

/**
 * The per-hour price of a state, in micro-credits. A monthly-only plan is paid up front, so
 * its running hours cost nothing more; a stopped instance still holds its resources, so it
 * costs the running rate unless the plan says otherwise; a suspension is the provider's
 * doing, so it is free unless the plan says otherwise.
 */
export function hourlyRateFor(plan: PlanPricing, state: BillableState): number {
  const running = plan.hourlyPrice ?? 0;
  const rate =
    state === 'running'
      ? running
      : state === 'stopped'
        ? (plan.stoppedHourlyPrice ?? running)
        : (plan.suspendedHourlyPrice ?? 0);
  return assertMicros(rate, `plan ${plan.planId} ${state} hourly price`);
}

/** Hourly and monthly prices both set: billed by the hour, capped at the monthly price per calendar month. */
export function hasMonthlyCap(plan: PlanPricing): plan is PlanPricing & { hourlyPrice: number; monthlyPrice: number } {
  return plan.hourlyPrice !== null && plan.monthlyPrice !== null;
}

/** Only a monthly price: the month is charged up front. */
export function isMonthlyOnly(plan: PlanPricing): plan is PlanPricing & { hourlyPrice: null; monthlyPrice: number } {
  return plan.hourlyPrice === null && plan.monthlyPrice !== null;
}
