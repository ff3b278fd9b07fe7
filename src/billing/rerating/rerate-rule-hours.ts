import type { ResourceRule } from '../../metering/metering.types';
import { oneOffPrice, perPeriodPrice } from '../../metering/rating/period-price';
import {
  HOUR_MS,
  hourPieces,
  type RatedRulePiece,
  rateRuleHour,
  ruleMonthKey,
  type RuleTotals,
  type Segment,
} from '../rating';
import { nextRevision, sameRows } from './hour-revision';

/** A current rule usage row of the instance, as re-rating compares it. */
export interface CurrentRuleRow {
  id: string;
  ruleId: number;
  hourStartMs: number;
  periodStartMs: number;
  monthKey: string;
  quantitySeconds: number;
  chargedQuantity: number | null;
  prepaidPeriodStartMs: number | null;
  paidQuantity: number | null;
  priceMicros: number;
  periodSeconds: number;
  charge: number;
  revision: number;
}

export interface RerateRulesInput<R extends CurrentRuleRow> {
  segments: readonly Segment[];
  rules: readonly ResourceRule[];
  timeZone: string;
  anchorMs: number;
  fromHourMs: number;
  untilMs: number;
  /** The instance's current rule rows from at least 31 days before fromHourMs (and every one-off row) to untilMs. */
  rows: readonly R[];
}

export interface RuleHourRevision<R extends CurrentRuleRow> {
  hourStartMs: number;
  revision: number;
  superseded: R[];
  rows: RatedRulePiece[];
  delta: bigint;
}

/**
 * Re-rates the rule charges of the settled hours a late event touches, as settlement would have rated them had the
 * event been known (rule-hour.ts), from the running totals the rows before `fromHourMs` left. A rule is re-rated at
 * the price and period its row of that hour was charged at, so a price changed since does not reach back into
 * settled hours. Hours whose rows come out the same are left alone. Pure: the late event service loads and writes.
 */
export function rerateRuleHours<R extends CurrentRuleRow>(input: RerateRulesInput<R>): RuleHourRevision<R>[] {
  const totals: RuleTotals = { monthQuantitySeconds: new Map(), monthCharge: new Map(), prepaid: new Map() };
  const byHour = new Map<number, R[]>();
  const ordered = [...input.rows].sort((a, b) => a.hourStartMs - b.hourStartMs || a.periodStartMs - b.periodStartMs);
  for (const row of ordered) {
    if (row.hourStartMs >= input.fromHourMs) {
      if (row.hourStartMs < input.untilMs) byHour.set(row.hourStartMs, [...(byHour.get(row.hourStartMs) ?? []), row]);
      continue;
    }
    const key = ruleMonthKey(row.ruleId, row.monthKey);
    totals.monthQuantitySeconds.set(key, (totals.monthQuantitySeconds.get(key) ?? 0n) + BigInt(row.quantitySeconds));
    totals.monthCharge.set(key, (totals.monthCharge.get(key) ?? 0n) + BigInt(row.charge));
    if (row.prepaidPeriodStartMs !== null && row.paidQuantity !== null) {
      totals.prepaid.set(row.ruleId, {
        periodStartMs: row.prepaidPeriodStartMs,
        paidQuantity: BigInt(row.paidQuantity),
      });
    }
  }
  const revisions: RuleHourRevision<R>[] = [];
  for (let hourMs = input.fromHourMs; hourMs < input.untilMs; hourMs += HOUR_MS) {
    const old = byHour.get(hourMs) ?? [];
    const rows = rateRuleHour({
      segments: input.segments,
      hourStartMs: hourMs,
      pieces: hourPieces(hourMs, input.timeZone),
      rules: input.rules.map((rule) =>
        withTermsOf(
          rule,
          old.find((row) => row.ruleId === rule.id),
        ),
      ),
      anchorMs: input.anchorMs,
      totals,
    });
    if (sameRows<RuleRowTerms>(old, rows, signature)) continue;
    revisions.push({
      hourStartMs: hourMs,
      revision: nextRevision(old),
      superseded: old,
      rows,
      delta: rows.reduce((sum, row) => sum + row.charge, 0n) - old.reduce((sum, row) => sum + BigInt(row.charge), 0n),
    });
  }
  return revisions;
}

/** The rule at the terms its row was charged at (the price in force then), or as it is when the hour has no row. */
function withTermsOf(rule: ResourceRule, row: CurrentRuleRow | undefined): ResourceRule {
  if (!row || (row.priceMicros === rule.priceMicros && row.periodSeconds === rule.periodSeconds)) return rule;
  const pricing =
    row.periodSeconds === 0 ? oneOffPrice(row.priceMicros) : perPeriodPrice(row.priceMicros, row.periodSeconds);
  return { ...rule, priceMicros: row.priceMicros, periodSeconds: row.periodSeconds, pricing };
}

/** What decides whether a rule row changed: stored rows hold numbers, rated ones bigints. */
interface RuleRowTerms {
  ruleId: number;
  periodStartMs: number;
  quantitySeconds: number | bigint;
  chargedQuantity: number | bigint | null;
  paidQuantity: number | bigint | null;
  charge: number | bigint;
}

const signature = (row: RuleRowTerms) =>
  [row.ruleId, row.periodStartMs, row.quantitySeconds, row.chargedQuantity, row.paidQuantity, row.charge]
    .map(String)
    .join('|');
