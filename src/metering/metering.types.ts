import type { InstanceState } from '../instances/instance.entity';
import type { Cumulative } from './rating/cumulative-charge';
import type { PriceRange } from './rating/price-ranges';
import type { StateFilter } from './rating/state-filter';

/** The instance states a rule's `on` list may name. */
export const RULE_STATES = [
  'running',
  'stopped',
  'suspended',
  'terminated',
] as const satisfies readonly InstanceState[];
export type RuleState = (typeof RULE_STATES)[number];

/** `postpaid`: charged for the time used, with the hour; `prepaid`: charged at the start of each period. */
export const RULE_KINDS = ['postpaid', 'prepaid'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** `fixed`: the rule's own quantity per instance; `reported`: what the host reports under the rule's key. */
export const QUANTITY_SOURCES = ['fixed', 'reported'] as const;
export type QuantitySource = (typeof QUANTITY_SOURCES)[number];

/** When a rule or counter billed: from creation until it was retired (null: it still bills). */
export interface BillingWindow {
  createdAt: Date;
  retiredAt: Date | null;
}

/**
 * A resource rule of a plan (NoCloud), ready to price. `pricing` takes a running total of quantity-seconds
 * (quantity scaled by 10^6 × seconds in a billed state) for a periodic rule, and of the quantity alone for a
 * one-off rule (`periodSeconds` 0, charged once at creation).
 */
export interface ResourceRule extends BillingWindow {
  id: number;
  planId: number;
  key: string;
  name: string;
  unit: string;
  priceMicros: number;
  periodSeconds: number;
  kind: RuleKind;
  quantitySource: QuantitySource;
  /** Scaled by 10^6; null when the host reports the quantity. */
  fixedQuantity: bigint | null;
  filter: StateFilter<RuleState>;
  /** The most it charges one instance in a month, in micro-credits; null: no cap. */
  monthlyCapMicros: number | null;
  pricing: Cumulative;
}

/**
 * A metered counter (Atomia), ready to price. `pricing` takes the month's usage so far in the counter's unit,
 * scaled by 10^6, and prices each measurement unit by the range it falls in.
 */
export interface MeteredCounter extends BillingWindow {
  id: number;
  key: string;
  name: string;
  unitName: string;
  /** Scaled by 10^6: 1 GB → 1_000_000n. */
  measurementUnit: bigint;
  /** `from` in measurement units, scaled by 10^6. */
  ranges: PriceRange[];
  /** The plans it applies to; null: every plan. */
  planIds: number[] | null;
  pricing: Cumulative;
}
