import { monthWindow } from '../billing/rating';

/** A 'YYYY-MM' month of the billing zone as [startMs, endMs). */
export function monthBounds(month: string, timeZone: string): { startMs: number; endMs: number } {
  const [year, monthNumber] = month.split('-').map(Number);
  // The 15th at noon UTC lies inside the month in every zone (offsets stay within a day).
  const { start, end } = monthWindow(new Date(Date.UTC(year, monthNumber - 1, 15, 12)), timeZone);
  return { startMs: start.getTime(), endMs: end.getTime() };
}

/** The month after a 'YYYY-MM' month. */
export function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}
