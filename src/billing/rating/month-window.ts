import { assertValidDate, SECOND_MS } from './time-windows';

/*
 * Calendar months in an IANA zone, with nothing but Intl. The month boundary is the first
 * instant whose local date is the 1st: usually local midnight, but in a zone whose clocks
 * skip midnight (a DST gap) it is the end of the gap, and when midnight happens twice it is
 * the first one. Offsets are whole seconds (even historical LMT ones), so second precision
 * is exact.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Building a DateTimeFormat costs far more than using one; there are only a few hundred zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23', // 'hour12: false' renders midnight as 24 on some ICU versions
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  return { year, month, day, hour, minute, second };
}

/** The local wall-clock reading at `ms`, written as if it were a UTC instant. */
function wallClockMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const subSecond = ((ms % SECOND_MS) + SECOND_MS) % SECOND_MS;
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + subSecond;
}

/** Months as a single increasing number, so "local month of t ≥ target" is one comparison. */
function monthIndexAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return p.year * 12 + (p.month - 1);
}

function startOfLocalMonth(monthIndex: number, timeZone: string): number {
  const wall = Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1);
  // Fast path: two offset refinements land on local midnight when it exists and is unique.
  const guess = wall - (wallClockMs(wall, timeZone) - wall);
  const refined = wall - (wallClockMs(guess, timeZone) - guess);
  if (wallClockMs(refined, timeZone) === wall && monthIndexAt(refined - SECOND_MS, timeZone) < monthIndex) {
    return refined;
  }
  // Gap or repeated midnight: search for the first second in the new month. No zone is
  // more than a day off UTC, so two days either side brackets it.
  const day = 86_400_000;
  let before = wall - 2 * day; // local month < target
  let after = wall + 2 * day; // local month ≥ target
  while (after - before > SECOND_MS) {
    const mid = before + Math.floor((after - before) / 2 / SECOND_MS) * SECOND_MS;
    if (monthIndexAt(mid, timeZone) >= monthIndex) after = mid;
    else before = mid;
  }
  return after;
}

/** The calendar month in `timeZone` that contains `at`, as [start, end) UTC instants. */
export function monthWindow(at: Date, timeZone: string): { start: Date; end: Date } {
  const month = monthIndexAt(assertValidDate(at, 'at'), timeZone);
  return { start: new Date(startOfLocalMonth(month, timeZone)), end: new Date(startOfLocalMonth(month + 1, timeZone)) };
}

/** 'YYYY-MM' of the calendar month in `timeZone` that contains `at`; the key monthly caps and reports group by. */
export function monthKey(at: Date, timeZone: string): string {
  const { year, month } = localParts(assertValidDate(at, 'at'), timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' of the local date in `timeZone` at `at`: the day the daily rollup files a part of an hour under. */
export function dayKey(at: Date, timeZone: string): string {
  const { year, month, day } = localParts(assertValidDate(at, 'at'), timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;

/** Local dates as one increasing number, so "a new day has begun" is one comparison. */
function dayIndexAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day) / DAY_MS;
}

/**
 * The first whole second in (fromMs, toMs) at which a new local day begins, or null. `fromMs` and `toMs`
 * are whole seconds less than a day apart, so at most one day begins between them; zones' offsets are
 * whole seconds, so the search over seconds is exact. A zone whose offset is a whole number of hours
 * never starts a day inside a UTC hour; a :30 or :45 zone does, every day.
 */
export function dayStartWithin(fromMs: number, toMs: number, timeZone: string): number | null {
  const first = dayIndexAt(fromMs, timeZone);
  let before = fromMs; // still the first day
  let after = toMs - SECOND_MS; // the last second of the span
  if (after <= before || dayIndexAt(after, timeZone) === first) return null;
  while (after - before > SECOND_MS) {
    const mid = before + Math.floor((after - before) / 2 / SECOND_MS) * SECOND_MS;
    if (dayIndexAt(mid, timeZone) !== first) after = mid;
    else before = mid;
  }
  return after;
}
