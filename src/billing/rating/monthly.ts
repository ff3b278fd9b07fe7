import { roundDiv, toSafeNumber } from '../../common/money';
import { monthWindow } from './month-window';
import { assertMicros, isMonthlyOnly } from './rates';
import { assertValidDate, SECOND_MS, secondsStartedBetween } from './time-windows';
import { PlanPricing } from './types';

/** Whole seconds from `from` to the end of its calendar month, and the month's length in seconds. */
export function secondsLeftInMonth(from: Date, timeZone: string): { left: number; month: number } {
  const fromMs = assertValidDate(from, 'from');
  const { start, end } = monthWindow(from, timeZone);
  // Same rule as splitHour: a second counts if it starts at or after `from`.
  return {
    left: secondsStartedBetween(fromMs, end.getTime()),
    month: (end.getTime() - start.getTime()) / SECOND_MS,
  };
}

/**
 * What a monthly-only plan charges up front for the month containing `from`: the monthly
 * price prorated by the seconds left in that month, rounded once. From the month's first
 * instant that is the full price, which is also what each later month's first hour charges.
 * Months are prorated by their own length, so a 743-hour DST month is not treated as 744.
 * Plans with an hourly price are billed by the hour and return 0 here.
 */
export function upFrontMonthlyCharge(plan: PlanPricing, from: Date, timeZone: string): number {
  if (!isMonthlyOnly(plan)) return 0;
  const price = assertMicros(plan.monthlyPrice, `plan ${plan.planId} monthly price`);
  const { left, month } = secondsLeftInMonth(from, timeZone);
  return toSafeNumber(roundDiv(BigInt(price) * BigInt(left), BigInt(month)));
}
