import { formatCurrencyAmount, roundDiv, type Money } from '../common/money';
import type { MeteredCounter, ResourceRule } from '../metering/metering.types';
import { formatQuantity, QUANTITY_SCALE } from '../common/quantities';
import type { MeteredRollupRow } from './reports.repository';

const HOUR_SECONDS = 3_600n;

/** A resource rule's or a counter's month on one instance, with the rule or counter (null if it is gone). */
export type MeteredReportLine =
  | (MeteredRollupRow & { kind: 'rule'; rule: ResourceRule | null })
  | (MeteredRollupRow & { kind: 'counter'; counter: MeteredCounter | null });

/** How a line reads: what it is, how much of it, and at what price, in the reader's currency. */
export interface MeteredLineText {
  key: string;
  item: string;
  /** Exact decimal text. */
  quantity: string;
  unit: string;
  rate: string;
}

/** Prices as the reader sees them: a unit price in their currency, with the decimals it needs. */
export type UnitPrice = (micros: number) => Money;

/** "1000000" → "1,000,000": quantities are read by people here. */
const grouped = (scaled: bigint) => formatCurrencyAmount(formatQuantity(scaled), { prefix: '', suffix: '' });

/**
 * What a line shows: a postpaid rule's unit-hours (its quantity-seconds / 3600, to six decimals), a prepaid
 * rule's units paid for, a counter's usage in its unit; and the rule's price per period or the counter's ranges.
 */
export function meteredLineText(line: MeteredReportLine, unitPrice: UnitPrice): MeteredLineText {
  const quantity = BigInt(line.quantity);
  if (line.kind === 'rule') {
    const rule = line.rule;
    if (!rule) return { key: `rule ${line.itemId}`, item: '', quantity: formatQuantity(quantity), unit: '', rate: '' };
    const postpaid = rule.kind === 'postpaid';
    return {
      key: rule.key,
      item: rule.name,
      quantity: formatQuantity(postpaid ? roundDiv(quantity, HOUR_SECONDS) : quantity),
      unit: postpaid ? `${rule.unit}-hours` : rule.unit,
      rate: ruleRate(rule, unitPrice),
    };
  }
  const counter = line.counter;
  if (!counter)
    return { key: `counter ${line.itemId}`, item: '', quantity: formatQuantity(quantity), unit: '', rate: '' };
  return {
    key: counter.key,
    item: counter.name,
    quantity: formatQuantity(quantity),
    unit: counter.unitName,
    rate: counterRate(counter, unitPrice),
  };
}

/** "€1.50 per address every 30 days", "… paid in advance", "€4 per setup, once". */
export function ruleRate(
  rule: Pick<ResourceRule, 'priceMicros' | 'periodSeconds' | 'kind' | 'unit'>,
  unitPrice: UnitPrice,
) {
  const price = `${unitPrice(rule.priceMicros).formatted} per ${rule.unit}`;
  if (rule.periodSeconds === 0) return `${price}, once`;
  const paid = rule.kind === 'prepaid' ? ', paid in advance' : '';
  return `${price} ${everyPeriod(rule.periodSeconds)}${paid}`;
}

/** "every hour", "every day", "every 30 days", "every 90 minutes": the largest unit that divides the period. */
export function everyPeriod(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, name] = units.find(([unit]) => seconds % unit === 0) as [number, string];
  const count = seconds / size;
  return count === 1 ? `every ${name}` : `every ${count} ${name}s`;
}

/**
 * A counter's graduated ranges in words: "first 1,000 GB a month included, then €0.005 per GB, from 10,000 GB
 * €0.004 per GB"; one range: "€0.20 per 1,000,000 requests". Range starts are shown in the counter's unit.
 */
export function counterRate(
  counter: Pick<MeteredCounter, 'ranges' | 'measurementUnit' | 'unitName'>,
  unitPrice: UnitPrice,
): string {
  const per =
    counter.measurementUnit === QUANTITY_SCALE
      ? `per ${counter.unitName}`
      : `per ${grouped(counter.measurementUnit)} ${counter.unitName}`;
  const priced = (priceMicros: number) => `${unitPrice(priceMicros).formatted} ${per}`;
  const start = (from: bigint) => `${grouped((from * counter.measurementUnit) / QUANTITY_SCALE)} ${counter.unitName}`;
  const [first, ...rest] = counter.ranges;
  if (rest.length === 0) return priced(first.priceMicros);
  const parts = [
    first.priceMicros === 0
      ? `first ${start(rest[0].from)} a month included`
      : `${priced(first.priceMicros)} for the first ${start(rest[0].from)}`,
    ...rest.map((range, i) =>
      i === 0 ? `then ${priced(range.priceMicros)}` : `from ${start(range.from)} ${priced(range.priceMicros)}`,
    ),
  ];
  return parts.join(', ');
}
