import type { CallStats, StatementStats } from './profile';
import type { BareResult, FloorTiming, SettleResult } from './scenario';

/** The goal issue 13 sets: the hourly run of 100,000 instances within this many times the minimal floor. */
export const FLOOR_GOAL = 5;
/** The instance-hours of the run the floor goal is measured on. */
export const FLOOR_GOAL_INSTANCE_HOURS = 100_000;
/** The older target: settleDue within this many times the bare SQL of our own design. */
export const BARE_TARGET = 2;
/** Catch-up scenarios settle this many missed hours. */
export const CATCH_UP_HOURS = 24;

export type Shape = 'hourly' | 'catch-up';
export type Server = 'single' | 'galera';

/** One scenario to run: a fleet of `accounts` (two instances each) with `hours` unsettled hours. */
export interface Scenario {
  name: string;
  shape: Shape;
  server: Server;
  accounts: number;
  hours: number;
  /** Also settle with the bare SQL of our own design on a second database, and compare row by row. */
  compare: boolean;
  profile: boolean;
}

export interface ScenarioResult {
  name: string;
  shape: Shape;
  server: Server;
  accounts: number;
  instances: number;
  usageReports: number;
  hours: number;
  batchSize: number;
  seedMs: number;
  settlement: Omit<SettleResult, 'profile' | 'statementKinds' | 'batchSize'>;
  bareSql?: BareResult;
  floor: FloorTiming;
  /** settleDue wall time / bare SQL wall time. */
  bareRatio?: number;
  /** settleDue wall time / floor wall time. */
  floorRatio: number;
  profile?: Record<string, CallStats>;
  statementKinds?: Record<string, StatementStats>;
}

/**
 * The growth series: for each size N (instance-hours), the hourly run of N instances and the catch-up of N/24
 * instances through 24 missed hours (rounded to whole accounts of two instances). Sizes up to 100,000 on the
 * single server are also settled with the bare SQL, for the comparison the README has carried since issue 7.
 */
export function growthSeries(sizes: number[], server: Server, compareUpTo: number): Scenario[] {
  return sizes.flatMap((size) => [
    scenario('hourly', server, Math.round(size / 2), 1, server === 'single' && size <= compareUpTo),
    scenario(
      'catch-up',
      server,
      Math.max(1, Math.round(size / (2 * CATCH_UP_HOURS))),
      CATCH_UP_HOURS,
      server === 'single' && size <= compareUpTo,
    ),
  ]);
}

export function scenario(
  shape: Shape,
  server: Server,
  accounts: number,
  hours: number,
  compare: boolean,
  profile = false,
): Scenario {
  const instances = accounts * 2;
  const what = shape === 'hourly' ? `${instances} instances × 1 h` : `${instances} instances × ${hours} h`;
  const where = server === 'galera' ? ', Galera' : '';
  return {
    name: `${shape}, ${what}${where}${profile ? ', profiled' : ''}`,
    shape,
    server,
    accounts,
    hours,
    compare,
    profile,
  };
}

/** The run the floor goal is judged on: the single server's hourly run of 100,000 instances, if it ran. */
export function floorGoalOf(results: ScenarioResult[]) {
  const run = results.find(
    (r) =>
      r.server === 'single' &&
      r.shape === 'hourly' &&
      !r.profile &&
      r.settlement.instanceHours === FLOOR_GOAL_INSTANCE_HOURS,
  );
  if (!run) return { goal: FLOOR_GOAL, measured: false as const, why: 'no hourly run of 100,000 instances (quick?)' };
  return {
    goal: FLOOR_GOAL,
    measured: true as const,
    scenario: run.name,
    settleDueMs: run.settlement.wallMs,
    floorMs: run.floor.wallMs,
    ratio: run.floorRatio,
    met: run.floorRatio <= FLOOR_GOAL,
  };
}

export interface GrowthPoint {
  shape: Shape;
  instanceHours: number;
  instances: number;
  hours: number;
  wallMs: number;
  /** Microseconds of settlement per instance-hour: flat when time grows linearly. */
  usPerInstanceHour: number;
  floorMs: number;
  peakRssDeltaMiB: number;
  peakHeapDeltaMiB: number;
  retainedHeapDeltaMiB: number;
  /** Galera's points: this run's wall time / the single server's of the same shape and size. */
  ratioToSingle?: number;
}

export function growthPoints(results: ScenarioResult[], server: Server): GrowthPoint[] {
  const single = results.filter((r) => r.server === 'single' && !r.profile);
  return results
    .filter((r) => r.server === server && !r.profile)
    .map((r) => {
      const same = single.find((s) => s.shape === r.shape && s.settlement.instanceHours === r.settlement.instanceHours);
      return {
        shape: r.shape,
        instanceHours: r.settlement.instanceHours,
        instances: r.instances,
        hours: r.hours,
        wallMs: r.settlement.wallMs,
        usPerInstanceHour: Math.round((r.settlement.wallMs * 1000) / Math.max(1, r.settlement.instanceHours)),
        floorMs: r.floor.wallMs,
        peakRssDeltaMiB: r.settlement.peakRssDeltaMiB,
        peakHeapDeltaMiB: r.settlement.peakHeapDeltaMiB,
        retainedHeapDeltaMiB: r.settlement.retainedHeapDeltaMiB,
        ratioToSingle: server === 'galera' && same ? round2(r.settlement.wallMs / same.settlement.wallMs) : undefined,
      };
    });
}

/**
 * Per shape, from the smallest run to the largest: how much the time per instance-hour changed (1 = linear) and
 * how much the peak memory above the baseline grew (flat memory keeps it near 1 while the work grows 100×).
 */
export function growthVerdict(points: GrowthPoint[]) {
  const byShape = (['hourly', 'catch-up'] as const).map((shape) => {
    const runs = points.filter((p) => p.shape === shape).sort((a, b) => a.instanceHours - b.instanceHours);
    if (runs.length < 2) return { shape, measured: false as const };
    const [first, last] = [runs[0], runs[runs.length - 1]];
    return {
      shape,
      measured: true as const,
      from: first.instanceHours,
      to: last.instanceHours,
      workGrew: round2(last.instanceHours / first.instanceHours),
      timePerInstanceHourGrew: round2(last.usPerInstanceHour / Math.max(1, first.usPerInstanceHour)),
      peakRssDeltaMiB: [first.peakRssDeltaMiB, last.peakRssDeltaMiB],
      peakHeapDeltaMiB: [first.peakHeapDeltaMiB, last.peakHeapDeltaMiB],
      retainedHeapDeltaMiB: [first.retainedHeapDeltaMiB, last.retainedHeapDeltaMiB],
    };
  });
  return byShape;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
