import type { MeteredMonthlyEntity } from '../../src/billing/settlement/metered-monthly.entity';
import type { DailyUsageEntity, MonthlyUsageEntity } from '../../src/billing/settlement/usage.entity';
import type { PlanPricing } from '../../src/billing/rating';
import type { SegmentEntity } from '../../src/instances/instance.entity';
import { resourceQuantitiesTransformer } from '../../src/instances/resource-quantities.column';
import type { CounterRangeEntity, MeteredCounterEntity } from '../../src/metering/metered-counter.entity';
import type { MeteredUsageEntity } from '../../src/metering/metered-usage.entity';
import { toMeteredCounter } from '../../src/metering/metering-rows';
import type { MeteredCounter } from '../../src/metering/metering.types';
import type { ResourceRuleEntity } from '../../src/metering/resource-rule.entity';
import { num } from './bench-db';

/** A row as the bare SQL reads it: MariaDB hands BIGINTs back as strings, SQLite as numbers. */
export type Row = Record<string, string | number | null>;

/** The bare SQL's rows as the engine's entities, for its pure pricing functions. */
export function toSegment(row: Row): SegmentEntity {
  return {
    id: String(row.id),
    instanceId: String(row.instance_id),
    planId: Number(row.plan_id),
    state: row.state as SegmentEntity['state'],
    startedAtMs: Number(row.started_at_ms),
    endedAtMs: num(row.ended_at_ms),
    quantities: resourceQuantitiesTransformer.from(row.quantities === null ? null : String(row.quantities)),
  };
}

export function toPricing(row: Row): PlanPricing {
  return {
    planId: Number(row.id),
    hourlyPrice: num(row.hourly_price),
    monthlyPrice: num(row.monthly_price),
    stoppedHourlyPrice: num(row.stopped_hourly_price),
    suspendedHourlyPrice: num(row.suspended_hourly_price),
  };
}

export function toMonthly(row: Row): MonthlyUsageEntity {
  return {
    instanceId: String(row.instance_id),
    planId: Number(row.plan_id),
    monthKey: String(row.month_key),
    userId: String(row.user_id),
    hours: Number(row.hours),
    billedSeconds: Number(row.billed_seconds),
    charge: Number(row.charge),
    hourlyRate: num(row.hourly_rate),
  };
}

export function toDaily(row: Row): DailyUsageEntity {
  return {
    userId: String(row.user_id),
    dayKey: String(row.day_key),
    billedSeconds: Number(row.billed_seconds),
    charge: Number(row.charge),
    ruleCharge: Number(row.rule_charge),
    counterCharge: Number(row.counter_charge),
  };
}
const retirable = (row: Row) => ({
  createdAtMs: Number(row.created_at_ms),
  retiredAtMs: num(row.retired_at_ms),
  liveMarker: row.live_marker === null ? null : (1 as const),
});

export function toRuleEntity(row: Row): ResourceRuleEntity {
  return {
    id: Number(row.id),
    planId: Number(row.plan_id),
    key: String(row.rule_key),
    name: String(row.name),
    unit: String(row.unit),
    priceMicros: Number(row.price),
    periodSeconds: Number(row.period_seconds),
    kind: row.kind as ResourceRuleEntity['kind'],
    quantitySource: row.quantity_source as ResourceRuleEntity['quantitySource'],
    fixedQuantity: num(row.fixed_quantity),
    onStates: String(row.on_states),
    exceptStates: Number(row.except_states) === 1,
    monthlyCapMicros: num(row.monthly_cap),
    ...retirable(row),
  };
}

/** The counters of a join with their ranges, one row per range. The plans they apply to do not change a charge. */
export function countersOf(rows: Row[]): Map<number, MeteredCounter> {
  const byId = new Map<number, { counter: MeteredCounterEntity; ranges: CounterRangeEntity[] }>();
  for (const row of rows) {
    const id = Number(row.id);
    const entry = byId.get(id) ?? {
      counter: {
        id,
        key: String(row.counter_key),
        name: String(row.name),
        unitName: String(row.unit_name),
        measurementUnit: Number(row.measurement_unit),
        allPlans: Number(row.all_plans) === 1,
        ...retirable(row),
      },
      ranges: [],
    };
    entry.ranges.push({
      counterId: id,
      position: Number(row.position),
      rangeFrom: Number(row.range_from),
      priceMicros: Number(row.price),
    });
    byId.set(id, entry);
  }
  return new Map(
    [...byId].map(([id, { counter, ranges }]) => [id, toMeteredCounter({ counter, ranges, planIds: [] })]),
  );
}

export function toReport(row: Row): MeteredUsageEntity {
  return {
    id: String(row.id),
    instanceId: String(row.instance_id),
    counterId: Number(row.counter_id),
    atMs: Number(row.at_ms),
    quantity: Number(row.quantity),
  } as MeteredUsageEntity;
}

export function toRollup(row: Row): MeteredMonthlyEntity {
  return {
    instanceId: String(row.instance_id),
    item: row.item as MeteredMonthlyEntity['item'],
    itemId: Number(row.item_id),
    monthKey: String(row.month_key),
    userId: String(row.user_id),
    quantity: Number(row.quantity),
    charge: Number(row.charge),
  };
}
