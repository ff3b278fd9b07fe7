import type { CalendarPiece } from './calendar-pieces';
import { applyGranularity } from './granularity';
import { chargeForHour } from './hour-charge';
import { splitPeriod } from './hour-split';
import { upFrontMonthlyCharge } from './monthly';
import { isMonthlyOnly } from './rates';
import { HourBucket, PlanPricing, Segment } from './types';

/** What one usage row records: one instance, one plan, one calendar piece of one hour. */
export interface RatedPiece {
  planId: number;
  hourStartMs: number;
  periodStartMs: number;
  monthKey: string;
  dayKey: string;
  runningSeconds: number;
  stoppedSeconds: number;
  suspendedSeconds: number;
  billedSeconds: number;
  runningRate: number;
  stoppedRate: number;
  suspendedRate: number;
  upfrontCharge: number;
  charge: number;
  capped: boolean;
}

/** Micro-credits an instance has been charged per plan and month before the hour being rated. */
export type MonthToDate = Map<string, number>;
export const monthToDateKey = (planId: number, monthKey: string) => `${planId}|${monthKey}`;

/**
 * Rates one instance-hour: the hour's seconds per calendar piece, granularity applied to the hour's
 * total (the extra seconds go to the state and piece the hour ended in), then each piece priced against
 * its own month's cap. `monthToDate` holds what each plan was charged in each month before this hour;
 * a plan without an entry has not been billed in that month yet, so a monthly-only plan pays its month
 * up front here. It is updated with this hour's charges, so consecutive hours can be rated in turn.
 * Settlement and re-rating both call this: a re-rated hour is priced exactly as a first settlement.
 */
export function rateInstanceHour(
  segments: readonly Segment[],
  hourStartMs: number,
  pieces: readonly CalendarPiece[],
  granularitySeconds: number,
  pricing: ReadonlyMap<number, PlanPricing>,
  timeZone: string,
  monthToDate: MonthToDate,
): RatedPiece[] {
  const billed = applyGranularityAcross(
    pieces.map((piece) => splitPeriod(segments, piece.startMs, piece.endMs)),
    granularitySeconds,
  );
  const rows: RatedPiece[] = [];
  pieces.forEach((piece, i) => {
    const key = (planId: number) => monthToDateKey(planId, piece.monthKey);
    const charged = new Map(billed[i].map((b) => [b.planId, monthToDate.get(key(b.planId)) ?? 0]));
    for (const line of chargeForHour(billed[i], pricing, charged)) {
      const plan = pricing.get(line.planId) as PlanPricing;
      // A monthly-only plan pays its month once, the first time the month sees it on this plan.
      const upfront =
        isMonthlyOnly(plan) && !monthToDate.has(key(line.planId))
          ? upFrontMonthlyCharge(plan, new Date(firstSecondOnPlan(segments, line.planId, piece)), timeZone)
          : 0;
      const charge = line.charge + upfront;
      monthToDate.set(key(line.planId), (monthToDate.get(key(line.planId)) ?? 0) + charge);
      rows.push({
        planId: line.planId,
        hourStartMs,
        periodStartMs: piece.startMs,
        monthKey: piece.monthKey,
        dayKey: piece.dayKey,
        runningSeconds: line.seconds.running,
        stoppedSeconds: line.seconds.stopped,
        suspendedSeconds: line.seconds.suspended,
        billedSeconds: line.seconds.running + line.seconds.stopped + line.seconds.suspended,
        runningRate: line.rates.running,
        stoppedRate: line.rates.stopped,
        suspendedRate: line.rates.suspended,
        upfrontCharge: upfront,
        charge,
        capped: line.capped,
      });
    }
  });
  return rows;
}

/** Granularity rounds the whole hour, whatever pieces it is cut into: the extra lands in the last bucket of the last piece. */
function applyGranularityAcross(pieces: HourBucket[][], granularitySeconds: number): HourBucket[][] {
  const rounded = applyGranularity(pieces.flat(), granularitySeconds);
  let next = 0;
  return pieces.map((buckets) => rounded.slice(next, (next += buckets.length)));
}

/** Where the plan's time in the piece begins (creation, a resize mid-hour, or the piece's own start). */
function firstSecondOnPlan(segments: readonly Segment[], planId: number, piece: CalendarPiece): number {
  const starts = segments
    .filter(
      (s) => s.planId === planId && s.from.getTime() < piece.endMs && (s.to === null || s.to.getTime() > piece.startMs),
    )
    .map((s) => Math.max(s.from.getTime(), piece.startMs));
  return Math.min(...starts);
}
