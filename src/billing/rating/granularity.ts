import { HOUR_SECONDS } from './time-windows';
import { HourBucket } from './types';

export function assertGranularity(granularitySeconds: number): void {
  if (!Number.isInteger(granularitySeconds) || granularitySeconds < 1 || granularitySeconds > HOUR_SECONDS) {
    throw new RangeError(
      `billing granularity must be a whole number of seconds from 1 to 3600, got ${granularitySeconds}`,
    );
  }
}

/**
 * Rounds the instance's seconds in one hour up to a multiple of the granularity (never past
 * the hour: with 3600 every started hour is billed in full). The rounding is of the hour's
 * total, not per state, so a state change mid-hour is not billed twice; the extra seconds go
 * to the last bucket, the state the hour ended in (splitHour puts it last). An hour with no
 * seconds stays empty. Returns new buckets; the input is not changed.
 */
export function applyGranularity(buckets: readonly HourBucket[], granularitySeconds: number): HourBucket[] {
  assertGranularity(granularitySeconds);
  let total = 0;
  for (const b of buckets) {
    if (!Number.isInteger(b.seconds) || b.seconds < 0) throw new RangeError(`bucket seconds ${b.seconds} is invalid`);
    total += b.seconds;
  }
  if (total > HOUR_SECONDS) throw new RangeError(`an hour cannot hold ${total} seconds`);
  const result = buckets.map((b) => ({ ...b }));
  if (total === 0) return result;
  const billed = Math.min(HOUR_SECONDS, Math.ceil(total / granularitySeconds) * granularitySeconds);
  result[result.length - 1].seconds += billed - total;
  return result;
}
