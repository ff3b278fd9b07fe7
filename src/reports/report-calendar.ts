/*
 * The calendar a usage report speaks: months as 'YYYY-MM' and days as 'YYYY-MM-DD', both read in
 * the billing time zone. Settlement files each part of an hour under the day (and month) it lies in,
 * so the days of a month always add up to the month.
 */

/** A month as the API accepts it: four-digit year (1000–9999), two-digit month. */
export const MONTH_PATTERN = /^[1-9]\d{3}-(0[1-9]|1[0-2])$/;

import { HOUR_MS, monthWindow } from '../billing/rating';

/** Days are filed by settlement; reports read them with the same function. */
export { dayKey } from '../billing/rating';

/** Days in a 'YYYY-MM' month: a calendar fact, the same in every zone. */
export function daysInMonth(month: string): number {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

/**
 * The days a report for `month` shows when today is `today` ('YYYY-MM-DD'): every day of a past
 * month, the days so far of the current one, none of a future one.
 */
export function reportDays(month: string, today: string): string[] {
  const todayMonth = today.slice(0, 7);
  if (month > todayMonth) return [];
  const last = month === todayMonth ? Number(today.slice(8, 10)) : daysInMonth(month);
  return Array.from({ length: last }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** "March 2026": how a month reads in a heading. */
export function monthLabel(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(year, monthNumber - 1, 1)),
  );
}

/**
 * The UTC hours a report for `month` lists corrections for: those that start in the month (billing zone), as
 * [fromMs, untilMs). In a :30 or :45 zone the hour holding the month's first instant started in the month
 * before and stays there, so every hour belongs to exactly one month's report.
 */
export function monthHours(month: string, timeZone: string): { fromMs: number; untilMs: number } {
  const [year, monthNumber] = month.split('-').map(Number);
  // The 15th at noon UTC lies inside the month in every zone (offsets stay within a day).
  const { start, end } = monthWindow(new Date(Date.UTC(year, monthNumber - 1, 15, 12)), timeZone);
  const firstHourFrom = (instant: Date) => Math.ceil(instant.getTime() / HOUR_MS) * HOUR_MS;
  return { fromMs: firstHourFrom(start), untilMs: firstHourFrom(end) };
}
