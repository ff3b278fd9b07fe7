import type { MeteredCounter } from '../../metering/metering.types';
import { pieceCharge } from '../../metering/rating/cumulative-charge';
import { dayKey, monthKey } from './month-window';

/** A usage report of one instance, to rate: what it adds to its counter (scaled by 10^6), and when. */
export interface CounterUsage {
  id: string;
  counterId: number;
  atMs: number;
  quantity: bigint;
}

/** A rated report: the month and day of the billing zone it counts in, and what it costs. */
export interface RatedCounterUsage {
  id: string;
  counterId: number;
  monthKey: string;
  dayKey: string;
  quantity: bigint;
  charge: bigint;
}

export const counterMonthKey = (counterId: number, month: string) => `${counterId}|${month}`;

/**
 * Rates one instance's usage reports (Atomia's counters) in the order they happened, each against its counter's
 * running total for the month of the billing zone it falls in (`monthTotals`, updated): the units of a report that
 * cross into a dearer range are charged at that range's price, exactly where the boundary falls. However the month's
 * reports are cut into hours or arrive late, the month's charges add up to its total usage priced at once.
 */
export function rateCounterUsage(
  usage: readonly CounterUsage[],
  counters: ReadonlyMap<number, MeteredCounter>,
  timeZone: string,
  monthTotals: Map<string, bigint>,
): RatedCounterUsage[] {
  const ordered = [...usage].sort((a, b) => a.atMs - b.atMs || compareIds(a.id, b.id));
  return ordered.map((report) => {
    const counter = counters.get(report.counterId);
    if (!counter) throw new RangeError(`no counter ${report.counterId}`);
    const at = new Date(report.atMs);
    const month = monthKey(at, timeZone);
    const key = counterMonthKey(report.counterId, month);
    const before = monthTotals.get(key) ?? 0n;
    monthTotals.set(key, before + report.quantity);
    return {
      id: report.id,
      counterId: report.counterId,
      monthKey: month,
      dayKey: dayKey(at, timeZone),
      quantity: report.quantity,
      charge: pieceCharge(counter.pricing, before, report.quantity),
    };
  });
}

/** Ids are BIGINT strings: shorter is smaller. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
