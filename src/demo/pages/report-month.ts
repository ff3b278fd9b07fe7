import { monthLabel } from './format';

/** The calendar month ('YYYY-MM') it is at `now` in `timeZone`: the month the usage report opens on. */
export function currentMonth(now: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' });
  for (const part of format.formatToParts(now)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}`;
}

/** `month` moved by `delta` months; months are plain 'YYYY-MM' text. */
export function shiftMonth(month: string, delta: number): string {
  const [year, index] = month.split('-').map(Number);
  const at = new Date(Date.UTC(year, index - 1 + delta, 1));
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month selector's choices: this month and the ones before it, newest first, with `shown` kept in. */
export function monthOptions(current: string, shown: string | null, count = 12) {
  const months = Array.from({ length: count }, (_, i) => shiftMonth(current, -i));
  if (shown && /^\d{4}-(0[1-9]|1[0-2])$/.test(shown) && shown < current && !months.includes(shown)) {
    months.push(shown);
  }
  return months.map((value) => ({ value, label: monthLabel(value), selected: value === (shown ?? current) }));
}
