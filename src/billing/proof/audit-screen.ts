import { HOUR_MS } from '../rating';
import { billableHours, checkSegments, HourRange, ProofLife, ProofSegment, sortSegments } from './segment-checks';

/** What the database sums up for one instance, plan and month of usage rows (see AUDIT_USAGE_SQL). */
export interface UsageMonthAggregate {
  planId: number;
  monthKey: string;
  rowCount: number;
  hourCount: number;
  /** Distinct calendar pieces: an hour of a :30 zone that holds local midnight is two. */
  pieceCount: number;
  firstHourMs: number;
  lastHourMs: number;
  /** Rows for hours outside the settled life. */
  outsideRows: number;
  /** Rows for an hour in which no segment on their plan has a second. */
  unbackedRows: number;
  /** Rows whose charge does not follow from their seconds and rates, or whose seconds do not add up. */
  badRows: number;
  upfrontRows: number;
  firstUpfrontHourMs: number | null;
  firstCappedHourMs: number | null;
  lastChargedHourMs: number | null;
}

/** How many distinct hours the ranges cover together. */
export function countHours(ranges: HourRange[]): number {
  let count = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const { first, last } of [...ranges].sort((a, b) => a.first - b.first)) {
    const from = Math.max(first, reached + HOUR_MS);
    if (last >= from) count += (last - from) / HOUR_MS + 1;
    reached = Math.max(reached, last);
  }
  return count;
}

/**
 * The audit's cheap screen: true unless the aggregates prove the instance's hours are settled
 * exactly once. With tiling segments, no row outside the life and every row backed by a
 * segment on its plan, the rows of a plan lie in the hours its segments touch; if they are as
 * many as those hours, with no two alike, they are exactly those hours, and the plans' hours
 * together are the life's. Only an instance this cannot prove gets the full, per-hour proof.
 */
export function needsFullProof(
  life: ProofLife,
  segments: readonly ProofSegment[],
  aggregates: readonly UsageMonthAggregate[],
): boolean {
  if (checkSegments(life, segments).length > 0) return true;
  const expected = new Map<number, HourRange[]>();
  for (const s of sortSegments(segments)) {
    const range = billableHours(s.startedAtMs, Math.min(s.endedAtMs ?? Number.POSITIVE_INFINITY, life.settledUntilMs));
    if (range) expected.set(s.planId, [...(expected.get(s.planId) ?? []), range]);
  }
  const found = new Map<number, UsageMonthAggregate[]>();
  for (const a of aggregates) {
    const rowsLookWrong =
      a.outsideRows > 0 ||
      a.unbackedRows > 0 ||
      a.badRows > 0 ||
      a.rowCount !== a.pieceCount ||
      a.upfrontRows > 1 ||
      (a.firstUpfrontHourMs !== null && a.firstUpfrontHourMs !== a.firstHourMs) ||
      (a.firstCappedHourMs !== null && a.lastChargedHourMs !== null && a.lastChargedHourMs > a.firstCappedHourMs);
    if (rowsLookWrong) return true;
    found.set(a.planId, [...(found.get(a.planId) ?? []), a]);
  }
  for (const planId of new Set([...expected.keys(), ...found.keys()])) {
    const months = (found.get(planId) ?? []).sort((a, b) => a.firstHourMs - b.firstHourMs);
    // Months of one plan share no hour but the one a :30 zone's month starts in, or one hour could count twice.
    if (months.some((m, i) => i > 0 && m.firstHourMs < months[i - 1].lastHourMs)) return true;
    const shared = months.filter((m, i) => i > 0 && m.firstHourMs === months[i - 1].lastHourMs).length;
    const hours = months.reduce((sum, m) => sum + m.hourCount, 0) - shared;
    if (hours !== countHours(expected.get(planId) ?? [])) return true;
  }
  return false;
}
