import { HOUR_MS, monthWindow } from '../billing/rating';

/** A 'YYYY-MM' month of the billing zone as [startMs, endMs). */
export function monthBounds(month: string, timeZone: string): { startMs: number; endMs: number } {
  const [year, monthNumber] = month.split('-').map(Number);
  // The 15th at noon UTC lies inside the month in every zone (offsets stay within a day).
  const { start, end } = monthWindow(new Date(Date.UTC(year, monthNumber - 1, 15, 12)), timeZone);
  return { startMs: start.getTime(), endMs: end.getTime() };
}

/**
 * The UTC hours whose charges a month's statement itemises, as [fromMs, untilMs): those that start in the month.
 * The ledger dates an hour's charge (and its re-ratings and late usage reports) at the hour's start, and a statement
 * takes the entries dated before its month's end that no earlier statement took; so in a :30 or :45 zone the hour
 * holding the month's first instant started in the month before and is that month's, and every hour is one
 * month's. Hour-aligned bounds select the same hours as the month's own bounds.
 */
export function chargedHours(month: string, timeZone: string): { fromMs: number; untilMs: number } {
  const { startMs, endMs } = monthBounds(month, timeZone);
  const firstHourFrom = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;
  return { fromMs: firstHourFrom(startMs), untilMs: firstHourFrom(endMs) };
}

/** The month after a 'YYYY-MM' month. */
export function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}
