import type { CounterRangeEntity, MeteredCounterEntity } from './metered-counter.entity';
import { RULE_STATES, type MeteredCounter, type ResourceRule, type RuleState } from './metering.types';
import { oneOffPrice, perPeriodPrice } from './rating/period-price';
import { graduatedPrice } from './rating/price-ranges';
import type { ResourceRuleEntity } from './resource-rule.entity';
import type { RetirableEntity } from './retirable.entity';

/** A counter's rows: itself, its ranges in any order, and its plans (ignored when it applies to every plan). */
export interface CounterRows {
  counter: MeteredCounterEntity;
  ranges: CounterRangeEntity[];
  planIds: number[];
}

/** The states of a filter as stored: comma-separated, in RULE_STATES order whatever order they were sent in. */
export const statesText = (states: readonly RuleState[]): string =>
  RULE_STATES.filter((state) => states.includes(state)).join(',');

const statesOf = (text: string): RuleState[] => RULE_STATES.filter((state) => text.split(',').includes(state));

const windowOf = (row: RetirableEntity) => ({
  createdAt: new Date(row.createdAtMs),
  retiredAt: row.retiredAtMs === null ? null : new Date(row.retiredAtMs),
});

export function toResourceRule(row: ResourceRuleEntity): ResourceRule {
  return {
    id: row.id,
    planId: row.planId,
    key: row.key,
    name: row.name,
    unit: row.unit,
    priceMicros: row.priceMicros,
    periodSeconds: row.periodSeconds,
    kind: row.kind,
    quantitySource: row.quantitySource,
    fixedQuantity: row.fixedQuantity === null ? null : BigInt(row.fixedQuantity),
    filter: { on: statesOf(row.onStates), except: row.exceptStates },
    monthlyCapMicros: row.monthlyCapMicros ?? null,
    pricing:
      row.periodSeconds === 0 ? oneOffPrice(row.priceMicros) : perPeriodPrice(row.priceMicros, row.periodSeconds),
    ...windowOf(row),
  };
}

export function toMeteredCounter({ counter, ranges, planIds }: CounterRows): MeteredCounter {
  const priceRanges = [...ranges]
    .sort((a, b) => a.position - b.position)
    .map((range) => ({ from: BigInt(range.rangeFrom), priceMicros: range.priceMicros }));
  const measurementUnit = BigInt(counter.measurementUnit);
  return {
    id: counter.id,
    key: counter.key,
    name: counter.name,
    unitName: counter.unitName,
    measurementUnit,
    ranges: priceRanges,
    planIds: counter.allPlans ? null : [...planIds].sort((a, b) => a - b),
    pricing: graduatedPrice(priceRanges, measurementUnit),
    ...windowOf(counter),
  };
}
