import type { InstanceEntity, SegmentEntity } from '../../instances/instance.entity';
import {
  applyGranularity,
  chargeForHour,
  HOUR_MS,
  isMonthlyOnly,
  monthKey,
  monthWindow,
  PlanPricing,
  Segment,
  splitHour,
  upFrontMonthlyCharge,
} from '../rating';
import { dayKey } from '../../reports/report-calendar';
import type { DailyUsageEntity, MonthlyUsageEntity, UsageEntity } from './usage.entity';

export interface HourSettlementInput {
  hourStartMs: number;
  timeZone: string;
  granularitySeconds: number;
  instances: InstanceEntity[];
  segments: SegmentEntity[];
  pricing: ReadonlyMap<number, PlanPricing>;
  /** This month's rollup rows of these instances, before this hour. */
  monthly: MonthlyUsageEntity[];
  /** The day's rollup rows of these instances' users, before this hour (optional for the benchmark's bare SQL). */
  daily?: DailyUsageEntity[];
}

export interface HourSettlement {
  usage: Omit<UsageEntity, 'id'>[];
  /** The rollup rows with this hour added. */
  monthly: MonthlyUsageEntity[];
  /** The day's rollup rows of the users this hour billed, with this hour added. */
  daily: DailyUsageEntity[];
  /** Micro-credits to debit per user for this hour (only users with a non-zero charge). */
  chargesByUser: Map<string, number>;
}

const rollupKey = (instanceId: string, planId: number) => `${instanceId}|${planId}`;

/**
 * Prices one hour for a batch of instances: one usage row per instance and plan, the month's
 * rollup updated, and one total per user. Pure, so the engine's arithmetic is testable without
 * a database; the settlement service only loads the inputs and writes the outputs.
 */
export function settleHour(input: HourSettlementInput): HourSettlement {
  const hourStart = new Date(input.hourStartMs);
  const month = monthKey(hourStart, input.timeZone);
  const day = dayKey(hourStart, input.timeZone);
  const dayBefore = new Map((input.daily ?? []).map((row) => [row.userId, row]));
  const days = new Map<string, DailyUsageEntity>();
  const rollups = new Map(input.monthly.map((row) => [rollupKey(row.instanceId, row.planId), { ...row }]));
  const segmentsByInstance = groupBy(input.segments, (segment) => segment.instanceId);
  const monthlyByInstance = groupBy(input.monthly, (row) => row.instanceId);
  const usage: Omit<UsageEntity, 'id'>[] = [];
  const chargesByUser = new Map<string, number>();

  for (const instance of input.instances) {
    const segments = (segmentsByInstance.get(instance.id) ?? []).map(toRatingSegment);
    const buckets = applyGranularity(splitHour(segments, hourStart), input.granularitySeconds);
    const chargedThisMonth = new Map((monthlyByInstance.get(instance.id) ?? []).map((row) => [row.planId, row.charge]));
    for (const line of chargeForHour(buckets, input.pricing, chargedThisMonth)) {
      const plan = input.pricing.get(line.planId) as PlanPricing;
      const key = rollupKey(instance.id, line.planId);
      const rollup = rollups.get(key);
      // A monthly-only plan pays its month once, the first time the month sees it on this plan.
      const upfront =
        isMonthlyOnly(plan) && !rollup
          ? upFrontMonthlyCharge(
              plan,
              firstSecondOnPlan(segments, line.planId, hourStart, input.timeZone),
              input.timeZone,
            )
          : 0;
      const charge = line.charge + upfront;
      const billedSeconds = line.seconds.running + line.seconds.stopped + line.seconds.suspended;
      usage.push({
        instanceId: instance.id,
        userId: instance.userId,
        planId: line.planId,
        hourStartMs: input.hourStartMs,
        monthKey: month,
        runningSeconds: line.seconds.running,
        stoppedSeconds: line.seconds.stopped,
        suspendedSeconds: line.seconds.suspended,
        billedSeconds,
        runningRate: line.rates.running,
        stoppedRate: line.rates.stopped,
        suspendedRate: line.rates.suspended,
        upfrontCharge: upfront,
        charge,
        capped: line.capped,
      });
      rollups.set(key, {
        instanceId: instance.id,
        planId: line.planId,
        monthKey: month,
        userId: instance.userId,
        hours: (rollup?.hours ?? 0) + 1,
        billedSeconds: (rollup?.billedSeconds ?? 0) + billedSeconds,
        charge: (rollup?.charge ?? 0) + charge,
        hourlyRate: line.rates.running,
      });
      const today = days.get(instance.userId) ?? dayBefore.get(instance.userId);
      days.set(instance.userId, {
        userId: instance.userId,
        dayKey: day,
        billedSeconds: (today?.billedSeconds ?? 0) + billedSeconds,
        charge: (today?.charge ?? 0) + charge,
      });
      if (charge !== 0) chargesByUser.set(instance.userId, (chargesByUser.get(instance.userId) ?? 0) + charge);
    }
  }
  return { usage, monthly: [...rollups.values()], daily: [...days.values()], chargesByUser };
}

function toRatingSegment(segment: SegmentEntity): Segment {
  return {
    from: new Date(segment.startedAtMs),
    to: segment.endedAtMs === null ? null : new Date(segment.endedAtMs),
    state: segment.state,
    planId: segment.planId,
  };
}

/** Where the plan's time in this hour begins (creation or a resize mid-hour), never before the month. */
function firstSecondOnPlan(segments: Segment[], planId: number, hourStart: Date, timeZone: string): Date {
  const hourEnd = hourStart.getTime() + HOUR_MS;
  const starts = segments
    .filter(
      (s) =>
        s.planId === planId && s.from.getTime() < hourEnd && (s.to === null || s.to.getTime() > hourStart.getTime()),
    )
    .map((s) => Math.max(s.from.getTime(), hourStart.getTime()));
  const monthStart = monthWindow(hourStart, timeZone).start.getTime();
  return new Date(Math.max(monthStart, Math.min(...starts)));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
