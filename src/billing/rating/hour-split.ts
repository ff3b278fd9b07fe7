import { assertValidDate, HOUR_MS, secondsStartedBetween } from './time-windows';
import { HourBucket, Segment } from './types';

/**
 * Checks an instance's segments and returns them in time order. Overlapping segments would
 * bill the same second twice, so they are refused instead of being split.
 */
export function orderedSegments(segments: readonly Segment[]): Segment[] {
  const endMs = (s: Segment) => (s.to === null ? Number.POSITIVE_INFINITY : s.to.getTime());
  for (const s of segments) {
    const from = assertValidDate(s.from, 'segment.from');
    if (s.to !== null && assertValidDate(s.to, 'segment.to') < from) {
      throw new RangeError(`segment ending ${s.to.toISOString()} ends before it starts`);
    }
  }
  // Ties on `from` put the zero-length segment first: events at one instant close one and open the next.
  const ordered = [...segments].sort((a, b) => a.from.getTime() - b.from.getTime() || endMs(a) - endMs(b));
  for (let i = 1; i < ordered.length; i++) {
    if (ordered[i].from.getTime() < endMs(ordered[i - 1])) {
      throw new RangeError(`segments overlap at ${ordered[i].from.toISOString()}`);
    }
  }
  return ordered;
}

/**
 * The whole seconds each (plan, state) spent in [hourStart, hourStart + 1h). An open segment
 * runs to the end of the hour. Each second goes to the state the instance was in when the
 * second began (see secondsStartedBetween), so the buckets never add up to more than 3600
 * and, cut into hours, a segment's seconds add up to its whole length.
 *
 * Buckets are merged per (plan, state) in order of first appearance, except that the bucket
 * the hour ended in comes last: granularity rounds the hour up into that bucket. Buckets with
 * no whole second are left out.
 */
export function splitHour(segments: readonly Segment[], hourStart: Date): HourBucket[] {
  const start = assertValidDate(hourStart, 'hourStart');
  if (start % HOUR_MS !== 0) throw new RangeError(`${hourStart.toISOString()} is not the start of an hour`);
  return splitPeriod(segments, start, start + HOUR_MS);
}

/**
 * splitHour for a part of an hour, [fromMs, toMs): the hour cut where a calendar day of the billing zone
 * begins inside it. Cut into parts, an hour's seconds add up to splitHour's, each second in exactly one part.
 */
export function splitPeriod(segments: readonly Segment[], fromMs: number, toMs: number): HourBucket[] {
  if (!(fromMs < toMs) || toMs - fromMs > HOUR_MS) throw new RangeError(`[${fromMs}, ${toMs}) is not part of an hour`);
  const buckets: HourBucket[] = [];
  let last: HourBucket | undefined;
  for (const s of orderedSegments(segments)) {
    const seconds = secondsStartedBetween(Math.max(s.from.getTime(), fromMs), Math.min(s.to?.getTime() ?? toMs, toMs));
    if (seconds === 0) continue;
    last = buckets.find((b) => b.planId === s.planId && b.state === s.state);
    if (last) last.seconds += seconds;
    else buckets.push((last = { planId: s.planId, state: s.state, seconds }));
  }
  if (last && buckets[buckets.length - 1] !== last) {
    buckets.splice(buckets.indexOf(last), 1);
    buckets.push(last);
  }
  return buckets;
}
