import { dayKey, dayStartWithin, monthKey } from './month-window';
import { HOUR_MS } from './time-windows';

/** A part of a UTC hour that lies in one day (so one month) of the billing zone. */
export interface CalendarPiece {
  startMs: number;
  endMs: number;
  monthKey: string;
  dayKey: string;
}

/**
 * The hour starting at `hourStartMs`, cut where a day of `timeZone` begins inside it. Usually one piece,
 * the whole hour; in a :30 or :45 zone the hour holding local midnight is two, so the seconds before
 * midnight count toward the old day and month (their cap, their rollups) and the rest toward the new.
 */
export function hourPieces(hourStartMs: number, timeZone: string): CalendarPiece[] {
  const endMs = hourStartMs + HOUR_MS;
  const cut = dayStartWithin(hourStartMs, endMs, timeZone);
  const bounds = cut === null ? [hourStartMs, endMs] : [hourStartMs, cut, endMs];
  return bounds.slice(0, -1).map((startMs, i) => {
    const at = new Date(startMs);
    return { startMs, endMs: bounds[i + 1], monthKey: monthKey(at, timeZone), dayKey: dayKey(at, timeZone) };
  });
}
