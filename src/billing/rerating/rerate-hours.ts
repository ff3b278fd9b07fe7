import {
  HOUR_MS,
  hourPieces,
  MonthToDate,
  monthToDateKey,
  PlanPricing,
  RatedPiece,
  rateInstanceHour,
  Segment,
} from '../rating';
import { nextRevision, sameRows } from './hour-revision';

/** A current usage row of the instance, as re-rating compares it (rows settled before days were recorded have none). */
export type CurrentRow = Omit<RatedPiece, 'dayKey'> & { dayKey: string | null; revision: number };

export interface RerateInput<R extends CurrentRow = CurrentRow> {
  /** The instance's segments after the late event, covering at least [fromHourMs, untilMs). */
  segments: readonly Segment[];
  pricing: ReadonlyMap<number, PlanPricing>;
  timeZone: string;
  granularitySeconds: number;
  /** The first settled hour the event touches. */
  fromHourMs: number;
  /** The instance's settled-until mark: hours from here on are not settled yet and are left to settlement. */
  untilMs: number;
  /** The instance's current rows from the start of fromHourMs's month (in any zone: a month back suffices) to untilMs. */
  rows: readonly R[];
}

/** One settled hour whose charge changes: its rows are replaced by the next revision, and the difference posted. */
export interface HourRevision<R extends CurrentRow = CurrentRow> {
  hourStartMs: number;
  revision: number;
  superseded: R[];
  rows: RatedPiece[];
  /** New charge minus old, micro-credits: positive is charged, negative refunded. */
  delta: number;
}

/**
 * Re-rates the settled hours a late event touches, exactly as settlement would have rated them had the
 * event been known: hour by hour from `fromHourMs`, each month's cap and up-front charge counted from
 * the current rows before it and the re-rated rows since. Every later settled hour is re-rated too, since
 * a change early in a month moves where the cap is reached. Pure: the service loads and writes.
 */
export function rerateHours<R extends CurrentRow>(input: RerateInput<R>): HourRevision<R>[] {
  const byHour = new Map<number, R[]>();
  const monthToDate: MonthToDate = new Map();
  for (const row of input.rows) {
    if (row.hourStartMs < input.fromHourMs) {
      const key = monthToDateKey(row.planId, row.monthKey);
      monthToDate.set(key, (monthToDate.get(key) ?? 0) + row.charge);
    } else if (row.hourStartMs < input.untilMs) {
      byHour.set(row.hourStartMs, [...(byHour.get(row.hourStartMs) ?? []), row]);
    }
  }
  const revisions: HourRevision<R>[] = [];
  for (let hourMs = input.fromHourMs; hourMs < input.untilMs; hourMs += HOUR_MS) {
    const old = byHour.get(hourMs) ?? [];
    const rows = rateInstanceHour(
      input.segments,
      hourMs,
      hourPieces(hourMs, input.timeZone),
      input.granularitySeconds,
      input.pricing,
      input.timeZone,
      monthToDate,
    );
    if (sameRows<Omit<RatedPiece, 'dayKey'>>(old, rows, signature)) continue;
    revisions.push({
      hourStartMs: hourMs,
      revision: nextRevision(old),
      superseded: old,
      rows,
      delta: sum(rows) - sum(old),
    });
  }
  return revisions;
}

const sum = (rows: readonly { charge: number }[]) => rows.reduce((total, row) => total + row.charge, 0);

const FIELDS = [
  'planId',
  'periodStartMs',
  'monthKey',
  'runningSeconds',
  'stoppedSeconds',
  'suspendedSeconds',
  'billedSeconds',
  'runningRate',
  'stoppedRate',
  'suspendedRate',
  'upfrontCharge',
  'charge',
  'capped',
] as const;

const signature = (row: Omit<RatedPiece, 'dayKey'>) => FIELDS.map((field) => String(row[field])).join('|');
