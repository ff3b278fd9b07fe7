const HOUR_MS = 3_600_000;
/** Every zone's offset from UTC lies within this, so a month's instants lie within a day's margin of UTC's month. */
const ZONE_MARGIN_MS = 15 * HOUR_MS;

/**
 * A calendar month in the billing time zone: a UTC range wide enough to query by (the month ± the widest zone
 * offset) and the exact test of an instant, by the month it falls in there.
 */
export interface MonthBounds {
  month: string;
  fromMs: number;
  toMs: number;
  contains(ms: number): boolean;
}

export function monthBounds(month: string | undefined, timeZone: string, now: Date): MonthBounds {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
  const monthOf = (ms: number) => {
    const parts = format.formatToParts(new Date(ms));
    return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
  };
  const key = month ?? monthOf(now.getTime());
  const [year, monthNumber] = key.split('-').map(Number);
  return {
    month: key,
    fromMs: Date.UTC(year, monthNumber - 1, 1) - ZONE_MARGIN_MS,
    toMs: Date.UTC(year, monthNumber, 1) + ZONE_MARGIN_MS,
    contains: (ms) => monthOf(ms) === key,
  };
}
