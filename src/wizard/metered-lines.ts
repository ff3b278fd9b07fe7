import { formatCurrencyAmount, formatScaledDecimal, type Money } from '../common/money';
import type { MeteredCounter, ResourceRule, RuleKind, RuleState } from '../metering/metering.types';
import { RULE_STATES } from '../metering/metering.types';
import { formatQuantity, QUANTITY_DIGITS, QUANTITY_SCALE } from '../common/quantities';
import { billsIn } from '../metering/rating/state-filter';
import { HOUR_SECONDS } from '../billing/rating';
import { isEstimated, ruleCostOver, rulePriceFor } from './rule-costs';

/** How prices are shown: in the viewer's currency, with the decimals a price needs (ViewerCurrency.unitPrice). */
export type PriceFormat = (micros: bigint | number) => Money;

/** A resource rule of the plan as the quote shows it. */
export interface RuleLine {
  key: string;
  name: string;
  unit: string;
  kind: RuleKind;
  /** 0: a one-off, charged once when the instance is created. */
  periodSeconds: number;
  /** One unit for one period, as the admin set it (a one-off: one unit, once). */
  price: Money;
  /** One unit for an hour (price × 3600 / periodSeconds, rounded once); null for a one-off. */
  hourlyPerUnit: Money | null;
  /** The units every instance comes with (a fixed quantity); null when the host reports the quantity as used. */
  included: string | null;
  /** The included units for an hour; null for a one-off or a reported quantity. */
  hourly: Money | null;
  /** The instance states it bills in. */
  billedIn: RuleState[];
  /** Whether the quote's hourly, daily and monthly figures count it. */
  inEstimate: boolean;
  /** The line in words, e.g. "IPv4 address: $0.0046 an hour, 1 included". */
  text: string;
}

/** A metered counter that applies to the plan, as the quote shows it. */
export interface CounterLine {
  key: string;
  name: string;
  unitName: string;
  /** How many of unitName a range price is for. */
  measurementUnit: string;
  /** Measurement units a calendar month free of charge before the first priced range; null: no range is priced. */
  included: string | null;
  /** Graduated per calendar month: from `from` measurement units on, each costs `price`. */
  ranges: { from: string; price: Money }[];
  /** The line in words, e.g. "Outgoing traffic: first 1,000 GB a month included, then $0.0001 per GB". */
  text: string;
}

const ONE = QUANTITY_SCALE;
/** The states an instance lives in; a rule billing in all of them needs no "while …". */
const LIVE_STATES: readonly RuleState[] = ['running', 'stopped', 'suspended'];

/** "1000" → "1,000": quantities are read by people here (the money module lays out digits the same way). */
const grouped = (decimal: string) => formatCurrencyAmount(decimal, { prefix: '', suffix: '' });
const quantityText = (scaled: bigint) => grouped(formatQuantity(scaled));

function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** "an hour", "a day", "per 30 days", "per 90 minutes": a period as the line says it. */
export function perPeriod(seconds: number): string {
  const units: [number, string, string][] = [
    [86_400, 'a day', 'days'],
    [HOUR_SECONDS, 'an hour', 'hours'],
    [60, 'a minute', 'minutes'],
    [1, 'a second', 'seconds'],
  ];
  const [size, one, many] = units.find(([unit]) => seconds % unit === 0) ?? units[units.length - 1];
  return seconds === size ? one : `per ${seconds / size} ${many}`;
}

/** ", while running or stopped"; nothing for a rule that bills in every state an instance lives in. */
function whileStates(billed: readonly RuleState[]): string {
  if (LIVE_STATES.every((state) => billed.includes(state))) return '';
  return billed.length === 0 ? 'in no state' : `while ${orList(billed)}`;
}

function ruleText(rule: ResourceRule, unitPrice: PriceFormat, billed: readonly RuleState[]): string {
  const quantity = rule.fixedQuantity;
  const price = unitPrice(rule.priceMicros).formatted;
  const included = (each: string) =>
    quantity === ONE ? '1 included' : `${quantityText(quantity ?? 0n)} included (${each} each)`;
  if (rule.periodSeconds === 0) {
    if (quantity === null) return `${rule.name}: ${price} per ${rule.unit} once at creation`;
    const total = unitPrice(rulePriceFor(rule, quantity)).formatted;
    return `${rule.name}: ${total} once at creation${quantity === ONE ? '' : ` (${quantityText(quantity)} × ${price})`}`;
  }
  const parts: string[] = [];
  const hourlyPerUnit = unitPrice(ruleCostOver(rule, ONE, HOUR_SECONDS)).formatted;
  if (rule.kind === 'postpaid' && quantity === null) parts.push(`${hourlyPerUnit} an hour per ${rule.unit}`, 'as used');
  if (rule.kind === 'postpaid' && quantity !== null) {
    const hourly = unitPrice(ruleCostOver(rule, quantity, HOUR_SECONDS)).formatted;
    parts.push(`${hourly} an hour`, included(`${hourlyPerUnit} an hour`));
  }
  const period = perPeriod(rule.periodSeconds);
  if (rule.kind === 'prepaid' && quantity === null)
    parts.push(`${price} ${period} per ${rule.unit}`, 'prepaid', 'as used');
  if (rule.kind === 'prepaid' && quantity !== null) {
    parts.push(`${unitPrice(rulePriceFor(rule, quantity)).formatted} ${period}`, 'prepaid', included(price));
  }
  const states = whileStates(billed);
  return `${rule.name}: ${[...parts, ...(states ? [states] : [])].join(', ')}`;
}

/** A live rule of the plan, priced in the viewer's currency and said in words. */
export function ruleLine(rule: ResourceRule, unitPrice: PriceFormat): RuleLine {
  const periodic = rule.periodSeconds > 0;
  const quantity = rule.fixedQuantity;
  const billedIn = RULE_STATES.filter((state) => billsIn(rule.filter, state));
  return {
    key: rule.key,
    name: rule.name,
    unit: rule.unit,
    kind: rule.kind,
    periodSeconds: rule.periodSeconds,
    price: unitPrice(rule.priceMicros),
    hourlyPerUnit: periodic ? unitPrice(ruleCostOver(rule, ONE, HOUR_SECONDS)) : null,
    included: quantity === null ? null : formatQuantity(quantity),
    hourly: periodic && quantity !== null ? unitPrice(ruleCostOver(rule, quantity, HOUR_SECONDS)) : null,
    billedIn,
    inEstimate: isEstimated(rule),
    text: ruleText(rule, unitPrice, billedIn),
  };
}

/** A counter of the plan, priced in the viewer's currency and said in words. */
export function counterLine(counter: MeteredCounter, unitPrice: PriceFormat): CounterLine {
  const { ranges, measurementUnit, unitName } = counter;
  const per = `per ${measurementUnit === ONE ? unitName : `${quantityText(measurementUnit)} ${unitName}`}`;
  // Range starts are in measurement units; the words count the counter's own unit (10 × 1,000,000 requests).
  const amount = (from: bigint) =>
    `${grouped(formatScaledDecimal(from * measurementUnit, 2 * QUANTITY_DIGITS))} ${unitName}`;
  const price = (index: number) => unitPrice(ranges[index].priceMicros).formatted;
  const firstPaid = ranges.findIndex((range) => range.priceMicros > 0);
  const parts: string[] = [];
  if (firstPaid > 0)
    parts.push(`first ${amount(ranges[firstPaid].from)} a month included`, `then ${price(firstPaid)} ${per}`);
  if (firstPaid === 0) parts.push(`${price(0)} ${per}`);
  for (let index = firstPaid + 1; firstPaid >= 0 && index < ranges.length; index++) {
    const month = firstPaid === 0 && index === 1 ? ' a month' : '';
    parts.push(`from ${amount(ranges[index].from)}${month} ${price(index)} ${per}`);
  }
  return {
    key: counter.key,
    name: counter.name,
    unitName,
    measurementUnit: formatQuantity(measurementUnit),
    included: firstPaid < 0 ? null : formatQuantity(ranges[firstPaid].from),
    ranges: ranges.map((range) => ({ from: formatQuantity(range.from), price: unitPrice(range.priceMicros) })),
    text: `${counter.name}: ${parts.length ? parts.join(', ') : 'no charge'}`,
  };
}
