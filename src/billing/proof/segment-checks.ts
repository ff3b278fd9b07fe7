import type { InstanceEntity, SegmentEntity } from '../../instances/instance.entity';
import { hourStartOf, SECOND_MS } from '../rating';
import { Finding, isoOf } from './proof-findings';

export type ProofLife = Pick<InstanceEntity, 'createdAtMs' | 'terminatedAtMs' | 'settledUntilMs'>;
export type ProofSegment = Pick<SegmentEntity, 'startedAtMs' | 'endedAtMs' | 'state' | 'planId'>;

export interface HourRange {
  first: number;
  last: number;
}

/**
 * The hours that hold at least one whole second of [fromMs, toMs): a second belongs to the
 * hour it starts in (secondsStartedBetween), so these are exactly the hours splitHour gives
 * seconds to, and the hours a settlement writes usage rows for. Null when no second starts.
 */
export function billableHours(fromMs: number, toMs: number): HourRange | null {
  const firstTick = Math.ceil(fromMs / SECOND_MS) * SECOND_MS;
  const lastTick = (Math.ceil(toMs / SECOND_MS) - 1) * SECOND_MS;
  if (!Number.isFinite(lastTick) || lastTick < firstTick) return null;
  return { first: hourStartOf(new Date(firstTick)).getTime(), last: hourStartOf(new Date(lastTick)).getTime() };
}

/** The hours of the instance's life that settlement has reached: each needs its usage rows. */
export function settledLifeHours(life: ProofLife): HourRange | null {
  return billableHours(
    life.createdAtMs,
    Math.min(life.terminatedAtMs ?? Number.POSITIVE_INFINITY, life.settledUntilMs),
  );
}

const endOf = (s: ProofSegment) => s.endedAtMs ?? Number.POSITIVE_INFINITY;

/** Time order; at one instant the zero-length segment comes first, as events close one segment and open the next. */
export function sortSegments<T extends ProofSegment>(segments: readonly T[]): T[] {
  return [...segments].sort((a, b) => a.startedAtMs - b.startedAtMs || endOf(a) - endOf(b));
}

const span = (fromMs: number, toMs: number) => ({
  from: isoOf(fromMs),
  to: Number.isFinite(toMs) ? isoOf(toMs) : null,
});

/**
 * Segments must tile the instance's life: the first starts at creation, each starts where the
 * ones before it reached, and the last is open while the instance lives or ends at its
 * termination. A hole is time nobody billed; an overlap is time billed twice.
 */
export function checkSegments(life: ProofLife, segments: readonly ProofSegment[]): Finding[] {
  const lifeEnd = life.terminatedAtMs ?? Number.POSITIVE_INFINITY;
  const gap = (fromMs: number, toMs: number): Finding => ({
    kind: 'segment-gap',
    detail: Number.isFinite(toMs)
      ? `no segment covers ${isoOf(fromMs)} to ${isoOf(toMs)}`
      : `no segment covers the time after ${isoOf(fromMs)}, though the instance is not terminated`,
    ...span(fromMs, toMs),
  });
  const bounds = (fromMs: number, toMs: number, detail: string): Finding => ({
    kind: 'segment-bounds',
    detail,
    ...span(fromMs, toMs),
  });
  const ordered = sortSegments(segments);
  if (ordered.length === 0) return [gap(life.createdAtMs, lifeEnd)];

  const findings: Finding[] = [];
  for (const s of ordered) {
    if (endOf(s) < s.startedAtMs) {
      findings.push(
        bounds(
          s.startedAtMs,
          endOf(s),
          `the segment on plan ${s.planId} from ${isoOf(s.startedAtMs)} ends before it starts`,
        ),
      );
    }
  }
  const first = ordered[0];
  if (first.startedAtMs > life.createdAtMs) findings.push(gap(life.createdAtMs, first.startedAtMs));
  if (first.startedAtMs < life.createdAtMs) {
    findings.push(
      bounds(
        first.startedAtMs,
        life.createdAtMs,
        `a segment starts at ${isoOf(first.startedAtMs)}, before the instance was created (${isoOf(life.createdAtMs)})`,
      ),
    );
  }
  // How far the segments so far reach; a later segment must start exactly there.
  let reach = endOf(first);
  for (const s of ordered.slice(1)) {
    if (s.startedAtMs > reach) findings.push(gap(reach, s.startedAtMs));
    if (s.startedAtMs < reach) {
      const to = Math.min(reach, endOf(s));
      findings.push({
        kind: 'segment-overlap',
        detail: Number.isFinite(to)
          ? `segments overlap from ${isoOf(s.startedAtMs)} to ${isoOf(to)}: those seconds are billed twice`
          : `segments overlap from ${isoOf(s.startedAtMs)} on: two segments are open at once`,
        ...span(s.startedAtMs, to),
      });
    }
    reach = Math.max(reach, endOf(s));
  }

  if (life.terminatedAtMs === null) {
    if (Number.isFinite(reach)) findings.push(gap(reach, Number.POSITIVE_INFINITY));
  } else if (reach < life.terminatedAtMs) {
    findings.push(gap(reach, life.terminatedAtMs));
  } else if (reach > life.terminatedAtMs) {
    const until = Number.isFinite(reach) ? `run until ${isoOf(reach)}` : 'are still open';
    findings.push(
      bounds(
        life.terminatedAtMs,
        reach,
        `segments ${until}, after the instance was terminated at ${isoOf(life.terminatedAtMs)}`,
      ),
    );
  }
  return findings;
}
