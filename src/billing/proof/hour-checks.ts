import type { UsageEntity } from '../settlement/usage.entity';
import { BILLABLE_STATES, BillableState, HOUR_MS, HOUR_SECONDS, HourBucket, Segment, splitPeriod } from '../rating';
import { collapseHourIssues, Finding, hourLabel, HourIssue, isoOf } from './proof-findings';
import { billableHours, HourRange, ProofLife, ProofSegment, settledLifeHours } from './segment-checks';

/** A current (not superseded) usage row as the proof reads it. */
export type ProofUsageRow = Omit<UsageEntity, 'id' | 'instanceId' | 'userId' | 'dayKey' | 'revision' | 'superseded'>;

const SECONDS_OF: Record<BillableState, 'runningSeconds' | 'stoppedSeconds' | 'suspendedSeconds'> = {
  running: 'runningSeconds',
  stopped: 'stoppedSeconds',
  suspended: 'suspendedSeconds',
};
export const secondsIn = (row: ProofUsageRow, state: BillableState): number => row[SECONDS_OF[state]];

export interface HourCheckResult {
  findings: Finding[];
  /** Hours of the settled life: each must have at least one usage row. */
  expectedHours: number;
}

function groupByHour<T extends { hourStartMs: number }>(items: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) groups.set(item.hourStartMs, [...(groups.get(item.hourStartMs) ?? []), item]);
  return groups;
}

/**
 * Every hour of the settled life has exactly the rows its segments call for: one per plan that
 * had a second in it, at least one at all, none twice, and none outside the life.
 */
export function checkHours(
  life: ProofLife,
  segments: readonly ProofSegment[],
  rows: readonly ProofUsageRow[],
): HourCheckResult {
  const lifeHours = settledLifeHours(life);
  const issues: HourIssue[] = [];
  const lifeText = lifeHours ? `${hourLabel(lifeHours.first)} to ${hourLabel(lifeHours.last + HOUR_MS)}` : 'none yet';
  const byHour = groupByHour(rows);
  for (const [hourMs, hourRows] of byHour) {
    // A plan has one row per calendar piece of the hour (one piece, unless a day of the zone starts inside it).
    const counts = new Map<number, number>();
    const perPiece = new Map<string, number>();
    for (const row of hourRows) {
      const piece = `${row.planId}|${row.periodStartMs}`;
      perPiece.set(piece, (perPiece.get(piece) ?? 0) + 1);
      counts.set(row.planId, Math.max(counts.get(row.planId) ?? 0, perPiece.get(piece) as number));
    }
    for (const [planId, count] of counts) {
      if (!lifeHours || hourMs < lifeHours.first || hourMs > lifeHours.last) {
        const why = `, outside the instance's settled life (${lifeText})`;
        issues.push({ kind: 'hour-outside-life', hourMs, planId, why });
      } else if (count > 1) {
        issues.push({ kind: 'duplicate-hour', hourMs, planId, count, why: ': that hour was charged more than once' });
      }
    }
  }
  if (!lifeHours) return { findings: collapseHourIssues(issues), expectedHours: 0 };

  // Segments past settled_until are not due yet, so each plan's hours stop there.
  const planHours = segments
    .map((s) => ({
      planId: s.planId,
      range: billableHours(s.startedAtMs, Math.min(s.endedAtMs ?? Number.POSITIVE_INFINITY, life.settledUntilMs)),
    }))
    .filter((p): p is { planId: number; range: HourRange } => p.range !== null);
  for (let hourMs = lifeHours.first; hourMs <= lifeHours.last; hourMs += HOUR_MS) {
    const expected = new Set(
      planHours.filter((p) => p.range.first <= hourMs && hourMs <= p.range.last).map((p) => p.planId),
    );
    const found = new Set((byHour.get(hourMs) ?? []).map((row) => row.planId));
    if (found.size === 0) {
      issues.push({ kind: 'missing-hour', hourMs, planId: null, why: '' });
      continue;
    }
    for (const planId of expected) {
      if (!found.has(planId)) {
        issues.push({ kind: 'missing-hour', hourMs, planId, why: ', though a segment on that plan ran then' });
      }
    }
    for (const planId of found) {
      if (!expected.has(planId)) {
        issues.push({ kind: 'unexpected-plan', hourMs, planId, why: ', though no segment on that plan ran then' });
      }
    }
  }
  return {
    findings: collapseHourIssues(issues),
    expectedHours: (lifeHours.last - lifeHours.first) / HOUR_MS + 1,
  };
}

const toRatingSegment = (s: ProofSegment): Segment => ({
  from: new Date(s.startedAtMs),
  to: s.endedAtMs === null ? null : new Date(s.endedAtMs),
  state: s.state,
  planId: s.planId,
});

/**
 * Each row's seconds are the segments' seconds in that hour, re-split with splitHour: exact in
 * every state, except that granularity may round the hour up into the state it ended in. The
 * check does not depend on the granularity setting, which may have changed since. Hours that a
 * segment finding touches are left to that finding: their seconds cannot be known.
 */
export function checkSeconds(
  segments: readonly ProofSegment[],
  rows: readonly ProofUsageRow[],
  segmentFindings: readonly Finding[],
): Finding[] {
  const findings: Finding[] = [];
  const problem = (hourMs: number, planId: number | null, detail: string) =>
    findings.push({
      kind: 'seconds-mismatch',
      detail,
      from: isoOf(hourMs),
      to: isoOf(hourMs + HOUR_MS),
      planId,
      hours: 1,
    });
  const broken = segmentFindings.map((f) => ({
    from: Date.parse(f.from),
    to: f.to === null ? Infinity : Date.parse(f.to),
  }));

  for (const [hourMs, hourRows] of groupByHour(rows)) {
    const label = (row: ProofUsageRow) => `the usage row on plan ${row.planId} for ${hourLabel(hourMs)}`;
    for (const row of hourRows) {
      const states = BILLABLE_STATES.map((state) => secondsIn(row, state));
      if (states.some((s) => s < 0) || row.billedSeconds !== states.reduce((a, b) => a + b, 0)) {
        problem(hourMs, row.planId, `${label(row)} bills ${row.billedSeconds} s, not the sum of its states' seconds`);
      }
    }
    // One row per plan and piece: a duplicate is reported as such, not as an hour of 7200 seconds.
    const unique = [...new Map(hourRows.map((row) => [`${row.planId}|${row.periodStartMs}`, row])).values()];
    const billedInHour = unique.reduce((sum, row) => sum + row.billedSeconds, 0);
    if (billedInHour > HOUR_SECONDS) {
      problem(hourMs, null, `the usage rows for ${hourLabel(hourMs)} bill ${billedInHour} s, more than an hour holds`);
    }
    if (broken.some((b) => b.from < hourMs + HOUR_MS && b.to > hourMs)) continue;
    const pieces = piecesOf(segments, hourMs, hourRows);
    if (!pieces) continue;
    const lastPiece = [...pieces.values()].filter((buckets) => buckets.length > 0).at(-1);
    const last = lastPiece?.[lastPiece.length - 1];
    for (const row of hourRows) {
      const buckets = pieces.get(row.periodStartMs) as HourBucket[];
      // A row for a plan with no second in its piece is an unexpected row (checkHours), not a seconds error.
      if (!buckets.some((b) => b.planId === row.planId)) continue;
      for (const state of BILLABLE_STATES) {
        const bucket = buckets.find((b) => b.planId === row.planId && b.state === state);
        const held = bucket?.seconds ?? 0;
        const billed = secondsIn(row, state);
        // Granularity only ever adds seconds, and only to the bucket (and piece) the hour ended in.
        const roundedUp = bucket !== undefined && bucket === last;
        if (roundedUp ? billed < held : billed !== held) {
          problem(hourMs, row.planId, `${label(row)} bills ${billed} s ${state}, but the segments hold ${held} s`);
        }
      }
    }
  }
  return findings.sort((a, b) => a.from.localeCompare(b.from));
}

/**
 * The segments' buckets in each calendar piece the hour's rows name (a piece runs to the next row's start
 * or the hour's end); null when the segments cannot be split (a reversed or overlapping one).
 */
function piecesOf(
  segments: readonly ProofSegment[],
  hourMs: number,
  rows: readonly ProofUsageRow[],
): Map<number, HourBucket[]> | null {
  const inHour = segments
    .filter((s) => s.startedAtMs < hourMs + HOUR_MS && (s.endedAtMs ?? Infinity) > hourMs)
    .map(toRatingSegment);
  const starts = [...new Set(rows.map((row) => row.periodStartMs))].sort((a, b) => a - b);
  const ends = [...starts.slice(1), hourMs + HOUR_MS];
  try {
    return new Map(starts.map((start, i) => [start, splitPeriod(inHour, start, ends[i])]));
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
