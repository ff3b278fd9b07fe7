import { roundDiv, toSafeNumber } from '../../common/money';
import { secondsLeftInMonth, upFrontMonthlyCharge } from './monthly';
import { assertMicros, hasMonthlyCap, hourlyRateFor, isMonthlyOnly } from './rates';
import { HOUR_SECONDS } from './time-windows';
import { PlanPricing } from './types';

/**
 * The month used for price estimates: 8760 hours a year / 12 = 730 hours. Real billing uses
 * real calendar months (672 to 745 hours); estimates need one number a user can compare.
 */
export const ESTIMATE_HOURS_PER_MONTH = 730;

/** Running costs shown next to a plan, in micro-credits. */
export interface CostEstimate {
  hourly: number;
  daily: number;
  monthly: number;
  /** The monthly cap when the plan has both prices, else null. */
  monthlyCap: number | null;
}

/**
 * What a plan costs while running. Hourly+monthly: hours add up but never past the monthly
 * price. Hourly only: hours add up. Monthly only: the monthly price, spread over the
 * estimate month for the hourly and daily figures (each rounded once from the monthly
 * price, so the daily figure is not 24 rounded hours).
 */
export function estimateCosts(plan: PlanPricing, hoursPerMonth = ESTIMATE_HOURS_PER_MONTH): CostEstimate {
  if (!Number.isInteger(hoursPerMonth) || hoursPerMonth < 24) {
    throw new RangeError(`hours per month must be a whole number of at least 24, got ${hoursPerMonth}`);
  }
  if (isMonthlyOnly(plan)) {
    const monthly = assertMicros(plan.monthlyPrice, `plan ${plan.planId} monthly price`);
    const share = (hours: number) => toSafeNumber(roundDiv(BigInt(monthly) * BigInt(hours), BigInt(hoursPerMonth)));
    return { hourly: share(1), daily: share(24), monthly, monthlyCap: null };
  }
  const hourly = hourlyRateFor(plan, 'running');
  const cap = hasMonthlyCap(plan) ? assertMicros(plan.monthlyPrice, `plan ${plan.planId} monthly price`) : null;
  const limit = (amount: number) => (cap === null ? amount : Math.min(amount, cap));
  return {
    hourly,
    daily: limit(toSafeNumber(BigInt(hourly) * 24n)),
    monthly: limit(toSafeNumber(BigInt(hourly) * BigInt(hoursPerMonth))),
    monthlyCap: cap,
  };
}

/**
 * What running on `plan` costs from `from` to the end of its calendar month, given what this
 * instance has already been charged on that plan this month: the resize quote. Hourly plans
 * are priced on the exact seconds left, rounded once, then capped; a monthly-only plan costs
 * its prorated up-front charge less what was already paid for the month. Granularity and
 * per-hour rounding are left out: this is a quote, off by at most a few micro-credits an hour.
 */
export function remainingMonthEstimate(plan: PlanPricing, from: Date, timeZone: string, chargedThisMonth = 0): number {
  const already = assertMicros(chargedThisMonth, 'charged this month');
  if (isMonthlyOnly(plan)) return Math.max(0, upFrontMonthlyCharge(plan, from, timeZone) - already);
  const { left } = secondsLeftInMonth(from, timeZone);
  const rest = toSafeNumber(roundDiv(BigInt(hourlyRateFor(plan, 'running')) * BigInt(left), BigInt(HOUR_SECONDS)));
  if (!hasMonthlyCap(plan)) return rest;
  return Math.min(rest, Math.max(0, assertMicros(plan.monthlyPrice, `plan ${plan.planId} monthly price`) - already));
}
