import { groupBy } from '../../common/group-by';
import type { InstanceEntity, SegmentEntity } from '../../instances/instance.entity';
import {
  CalendarPiece,
  hourPieces,
  MonthToDate,
  monthToDateKey,
  PlanPricing,
  RatedPiece,
  rateInstanceHour,
  Segment,
} from '../rating';
import type { DailyUsageEntity, MonthlyUsageEntity, UsageEntity } from './usage.entity';

export interface HourSettlementInput {
  hourStartMs: number;
  timeZone: string;
  granularitySeconds: number;
  instances: InstanceEntity[];
  segments: SegmentEntity[];
  pricing: ReadonlyMap<number, PlanPricing>;
  /** The rollup rows of these instances for the months the hour lies in, before this hour. */
  monthly: MonthlyUsageEntity[];
  /** The rollup rows of these instances' users for the days the hour lies in, before this hour (optional for the benchmark's bare SQL). */
  daily?: DailyUsageEntity[];
  /** The hour cut at day boundaries of the zone; computed from the hour and zone when not given. */
  pieces?: CalendarPiece[];
}

export type NewUsageRow = Omit<UsageEntity, 'id'>;

export interface HourSettlement {
  usage: NewUsageRow[];
  /** The rollup rows with this hour added. */
  monthly: MonthlyUsageEntity[];
  /** The days' rollup rows of the users this hour billed, with this hour added. */
  daily: DailyUsageEntity[];
  /** Micro-credits to debit per user for this hour (only users with a non-zero charge). */
  chargesByUser: Map<string, number>;
}

const rollupKey = (instanceId: string, planId: number, monthKey: string) => `${instanceId}|${planId}|${monthKey}`;
const dayRollupKey = (userId: string, dayKey: string) => `${userId}|${dayKey}`;

/**
 * Prices one hour for a batch of instances: one usage row per instance, plan and calendar piece, the
 * months' and days' rollups updated, and one total per user. Pure, so the engine's arithmetic is testable
 * without a database; the settlement service only loads the inputs and writes the outputs.
 */
export function settleHour(input: HourSettlementInput): HourSettlement {
  const pieces = input.pieces ?? hourPieces(input.hourStartMs, input.timeZone);
  const rollups = new Map(
    input.monthly.map((row) => [rollupKey(row.instanceId, row.planId, row.monthKey), { ...row }]),
  );
  const days = new Map((input.daily ?? []).map((row) => [dayRollupKey(row.userId, row.dayKey), { ...row }]));
  const touchedDays = new Set<string>();
  const segmentsByInstance = groupBy(input.segments, (segment) => segment.instanceId);
  const monthlyByInstance = groupBy(input.monthly, (row) => row.instanceId);
  const usage: NewUsageRow[] = [];
  const chargesByUser = new Map<string, number>();

  for (const instance of input.instances) {
    // A rollup that re-rating emptied (no hour left) means the month has not seen the plan: it pays up front again.
    const monthToDate: MonthToDate = new Map(
      (monthlyByInstance.get(instance.id) ?? [])
        .filter((row) => row.hours > 0)
        .map((row) => [monthToDateKey(row.planId, row.monthKey), row.charge]),
    );
    const rated = rateInstanceHour(
      (segmentsByInstance.get(instance.id) ?? []).map(toRatingSegment),
      input.hourStartMs,
      pieces,
      input.granularitySeconds,
      input.pricing,
      input.timeZone,
      monthToDate,
    );
    const countedHour = new Set<string>();
    for (const row of rated) {
      usage.push({ ...row, instanceId: instance.id, userId: instance.userId, revision: 0, superseded: false });
      addToRollups(rollups, days, instance, row, countedHour);
      touchedDays.add(dayRollupKey(instance.userId, row.dayKey));
      if (row.charge !== 0) {
        chargesByUser.set(instance.userId, (chargesByUser.get(instance.userId) ?? 0) + row.charge);
      }
    }
  }
  return {
    usage,
    monthly: [...rollups.values()],
    daily: [...touchedDays].map((key) => days.get(key) as DailyUsageEntity),
    chargesByUser,
  };
}

/**
 * Adds a rated piece to its month's and day's rollups (by `sign` -1 to take a superseded row back out).
 * A month counts an hour once however many pieces of it it holds: `countedHour` holds the rollups this
 * hour already counted (one set for adding, another for taking out).
 */
export function addToRollups(
  rollups: Map<string, MonthlyUsageEntity>,
  days: Map<string, DailyUsageEntity>,
  instance: Pick<InstanceEntity, 'id' | 'userId'>,
  row: Pick<RatedPiece, 'planId' | 'monthKey' | 'dayKey' | 'billedSeconds' | 'charge' | 'runningRate'>,
  countedHour: Set<string>,
  sign: 1 | -1 = 1,
): void {
  const key = rollupKey(instance.id, row.planId, row.monthKey);
  const rollup = rollups.get(key);
  const newHour = !countedHour.has(key);
  countedHour.add(key);
  rollups.set(key, {
    instanceId: instance.id,
    planId: row.planId,
    monthKey: row.monthKey,
    userId: instance.userId,
    hours: (rollup?.hours ?? 0) + (newHour ? sign : 0),
    billedSeconds: (rollup?.billedSeconds ?? 0) + sign * row.billedSeconds,
    charge: (rollup?.charge ?? 0) + sign * row.charge,
    hourlyRate: sign === 1 ? row.runningRate : (rollup?.hourlyRate ?? row.runningRate),
  });
  const dayKey = dayRollupKey(instance.userId, row.dayKey);
  const today = days.get(dayKey);
  days.set(dayKey, {
    userId: instance.userId,
    dayKey: row.dayKey,
    billedSeconds: (today?.billedSeconds ?? 0) + sign * row.billedSeconds,
    charge: (today?.charge ?? 0) + sign * row.charge,
    ruleCharge: today?.ruleCharge ?? 0,
    counterCharge: today?.counterCharge ?? 0,
  });
}

export function toRatingSegment(segment: SegmentEntity): Segment {
  return {
    from: new Date(segment.startedAtMs),
    to: segment.endedAtMs === null ? null : new Date(segment.endedAtMs),
    state: segment.state,
    planId: segment.planId,
    quantities: new Map(Object.entries(segment.quantities ?? {}).map(([key, value]) => [key, BigInt(value)])),
  };
}
