export const SECOND_MS = 1000;
export const HOUR_SECONDS = 3600;
export const HOUR_MS = HOUR_SECONDS * SECOND_MS;

export function assertValidDate(at: Date, name: string): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

/** The start of the UTC hour containing `at`. Every zone's hours are UTC hours, except the month boundaries of :30/:45 zones. */
export function hourStartOf(at: Date): Date {
  const ms = assertValidDate(at, 'at');
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
}

/**
 * Whole seconds that START inside [fromMs, toMs): each second is billed to the state the
 * instance was in when that second began. Because it counts second ticks rather than
 * flooring durations, adjacent stretches add up exactly (ceil(c)-ceil(b) + ceil(b)-ceil(a)
 * = ceil(c)-ceil(a)), so cutting a life into hours or states never loses or invents a second.
 */
export function secondsStartedBetween(fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  return Math.ceil(toMs / SECOND_MS) - Math.ceil(fromMs / SECOND_MS);
}

/**
 * Every complete hour (its end ≤ now) that still needs settling, oldest first: from
 * `firstHourStart` (floored to its hour, e.g. the instance's creation) or the hour after
 * the last settled one, whichever is later. `maxHours` lets a catch-up after long
 * downtime work in batches; the next run continues where this one stopped.
 */
export function hoursToSettle(
  lastSettledHourStart: Date | null,
  firstHourStart: Date,
  now: Date,
  maxHours = Number.POSITIVE_INFINITY,
): Date[] {
  const nowMs = assertValidDate(now, 'now');
  let hour = hourStartOf(firstHourStart).getTime();
  if (lastSettledHourStart !== null) hour = Math.max(hour, hourStartOf(lastSettledHourStart).getTime() + HOUR_MS);
  const hours: Date[] = [];
  for (; hour + HOUR_MS <= nowMs && hours.length < maxHours; hour += HOUR_MS) hours.push(new Date(hour));
  return hours;
}
