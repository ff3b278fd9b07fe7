import { roundDiv } from '../../common/money';
import type { ResourceRule } from '../../metering/metering.types';
import { pieceCharge, roundedCost } from '../../metering/rating/cumulative-charge';
import { QUANTITY_SCALE } from '../../common/quantities';
import { billsIn } from '../../metering/rating/state-filter';
import type { CalendarPiece } from './calendar-pieces';
import { secondsStartedBetween } from './time-windows';
import type { Segment } from './types';

const SECOND_MS = 1_000;

/** What a prepaid rule's current period is paid for: the period it charged last, and the units paid since. */
export interface PrepaidState {
  periodStartMs: number;
  paidQuantity: bigint;
}

/**
 * The running totals an instance's rules are charged against, updated as its hours are rated in turn: per rule and
 * month the quantity-seconds a postpaid rule has billed, and per rule what a prepaid rule has paid for.
 */
export interface RuleTotals {
  monthQuantitySeconds: Map<string, bigint>;
  /** Per rule and month, what it has charged: what its monthly cap is measured against. */
  monthCharge: Map<string, bigint>;
  prepaid: Map<number, PrepaidState>;
}

export const ruleMonthKey = (ruleId: number, monthKey: string) => `${ruleId}|${monthKey}`;

/** One rule's share of one calendar piece of one instance-hour: what a rule usage row records. */
export interface RatedRulePiece {
  ruleId: number;
  planId: number;
  hourStartMs: number;
  periodStartMs: number;
  monthKey: string;
  dayKey: string;
  /** Postpaid: quantity (scaled by 10^6) × seconds held in a billed state; prepaid: 0. */
  quantitySeconds: bigint;
  /** Prepaid: the units charged for in the piece; null for postpaid. */
  chargedQuantity: bigint | null;
  prepaidPeriodStartMs: number | null;
  paidQuantity: bigint | null;
  priceMicros: number;
  periodSeconds: number;
  charge: bigint;
}

export interface RuleHourInput {
  segments: readonly Segment[];
  hourStartMs: number;
  pieces: readonly CalendarPiece[];
  /** The rules of every plan the segments are on, retired ones included (each bills only inside its window). */
  rules: readonly ResourceRule[];
  /** Where a prepaid rule's periods are counted from: the instance's creation. */
  anchorMs: number;
  totals: RuleTotals;
}

/**
 * Rates the resource rules of one instance-hour (NoCloud's billing plan resources), piece by piece:
 * - a postpaid rule bills the quantity held, second by second, while the instance is on the rule's plan in a state
 *   its filter bills (`(state ∈ on) ≠ except`), charged against the month's running total so that however the
 *   month is cut into hours it adds up to the month's exact price (cumulative-charge.ts);
 * - a prepaid rule charges a whole period in advance at the first billed instant of the period (periods run from the
 *   instance's creation); when more units are billed later in the period, the extra units are charged for what is
 *   left of it (prorated, to the millisecond). Fewer units are not refunded: the period is paid for. A one-off rule
 *   (period 0) charges each unit once, whenever the instance first holds it in a billed state.
 * A rule bills only between its creation and its retirement, so an hour settled late bills the rules in force then.
 * `totals` is updated, so consecutive hours can be rated in turn; settlement and re-rating both call this.
 */
export function rateRuleHour(input: RuleHourInput): RatedRulePiece[] {
  const rows: RatedRulePiece[] = [];
  for (const piece of input.pieces) {
    for (const rule of input.rules) {
      const row =
        rule.kind === 'postpaid'
          ? postpaidPiece(rule, input.segments, piece, input.totals)
          : prepaidPiece(rule, input.segments, piece, input.anchorMs, input.totals);
      if (row) rows.push({ ...capped(rule, row, input.totals), hourStartMs: input.hourStartMs });
    }
  }
  return rows;
}

type PieceRow = Omit<RatedRulePiece, 'hourStartMs'>;

/** The piece's charge within what the rule's monthly cap leaves, counted toward the month. */
function capped(rule: ResourceRule, row: PieceRow, totals: RuleTotals): PieceRow {
  const key = ruleMonthKey(rule.id, row.monthKey);
  const before = totals.monthCharge.get(key) ?? 0n;
  const left = rule.monthlyCapMicros === null ? row.charge : BigInt(rule.monthlyCapMicros) - before;
  const charge = row.charge < left ? row.charge : left > 0n ? left : 0n;
  totals.monthCharge.set(key, before + charge);
  return { ...row, charge };
}

function postpaidPiece(
  rule: ResourceRule,
  segments: readonly Segment[],
  piece: CalendarPiece,
  totals: RuleTotals,
): PieceRow | null {
  let quantitySeconds = 0n;
  for (const segment of segments) {
    const quantity = billedQuantity(rule, segment);
    if (quantity === 0n) continue;
    const [fromMs, toMs] = overlap(rule, segment, piece);
    quantitySeconds += quantity * BigInt(secondsStartedBetween(fromMs, toMs));
  }
  if (quantitySeconds === 0n) return null;
  const key = ruleMonthKey(rule.id, piece.monthKey);
  const before = totals.monthQuantitySeconds.get(key) ?? 0n;
  totals.monthQuantitySeconds.set(key, before + quantitySeconds);
  return {
    ...rowBase(rule, piece),
    quantitySeconds,
    chargedQuantity: null,
    prepaidPeriodStartMs: null,
    paidQuantity: null,
    charge: pieceCharge(rule.pricing, before, quantitySeconds),
  };
}

function prepaidPiece(
  rule: ResourceRule,
  segments: readonly Segment[],
  piece: CalendarPiece,
  anchorMs: number,
  totals: RuleTotals,
): PieceRow | null {
  let charged = 0n;
  let charge = 0n;
  for (const atMs of instantsOf(rule, segments, piece, anchorMs)) {
    const segment = segments.find((s) => s.from.getTime() <= atMs && (s.to === null || atMs < s.to.getTime()));
    const held = segment && activeAt(rule, atMs) ? billedQuantity(rule, segment) : 0n;
    const period = periodAt(rule, anchorMs, atMs);
    const state = totals.prepaid.get(rule.id);
    const paid = state && state.periodStartMs === period.startMs ? state.paidQuantity : 0n;
    if (held <= paid) continue;
    charge +=
      period.endMs === null
        ? roundedCost(rule.pricing, held) - roundedCost(rule.pricing, paid)
        : roundDiv(
            (held - paid) * BigInt(rule.priceMicros) * BigInt(period.endMs - atMs),
            BigInt(rule.periodSeconds * SECOND_MS) * QUANTITY_SCALE,
          );
    charged += held - paid;
    totals.prepaid.set(rule.id, { periodStartMs: period.startMs, paidQuantity: held });
  }
  if (charged === 0n) return null;
  const state = totals.prepaid.get(rule.id) as PrepaidState;
  return {
    ...rowBase(rule, piece),
    quantitySeconds: 0n,
    chargedQuantity: charged,
    prepaidPeriodStartMs: state.periodStartMs,
    paidQuantity: state.paidQuantity,
    charge,
  };
}

const rowBase = (rule: ResourceRule, piece: CalendarPiece) => ({
  ruleId: rule.id,
  planId: rule.planId,
  periodStartMs: piece.startMs,
  monthKey: piece.monthKey,
  dayKey: piece.dayKey,
  priceMicros: rule.priceMicros,
  periodSeconds: rule.periodSeconds,
});

/** The quantity the rule bills while the instance is in `segment`: 0 off the rule's plan or outside its filter. */
function billedQuantity(rule: ResourceRule, segment: Segment): bigint {
  if (segment.planId !== rule.planId || !billsIn(rule.filter, segment.state)) return 0n;
  if (rule.quantitySource === 'fixed') return rule.fixedQuantity ?? 0n;
  return segment.quantities?.get(rule.key) ?? 0n;
}

const retiredMs = (rule: ResourceRule) => rule.retiredAt?.getTime() ?? Number.POSITIVE_INFINITY;
const activeAt = (rule: ResourceRule, atMs: number) => rule.createdAt.getTime() <= atMs && atMs < retiredMs(rule);

/** Where the segment, the piece and the rule's life all overlap (empty when from ≥ to). */
function overlap(rule: ResourceRule, segment: Segment, piece: CalendarPiece): [number, number] {
  const fromMs = Math.max(segment.from.getTime(), piece.startMs, rule.createdAt.getTime());
  const toMs = Math.min(segment.to?.getTime() ?? piece.endMs, piece.endMs, retiredMs(rule));
  return [fromMs, toMs];
}

/** The prepaid period `atMs` falls in, counted from the anchor; a one-off rule's single period never ends. */
function periodAt(rule: ResourceRule, anchorMs: number, atMs: number): { startMs: number; endMs: number | null } {
  if (rule.periodSeconds === 0) return { startMs: anchorMs, endMs: null };
  const lengthMs = rule.periodSeconds * SECOND_MS;
  const startMs = anchorMs + Math.floor((atMs - anchorMs) / lengthMs) * lengthMs;
  return { startMs, endMs: startMs + lengthMs };
}

/**
 * The instants in the piece where what a prepaid rule bills can change: the piece's start, where a segment starts,
 * where the rule starts, and where a period starts. In time order.
 */
function instantsOf(
  rule: ResourceRule,
  segments: readonly Segment[],
  piece: CalendarPiece,
  anchorMs: number,
): number[] {
  const within = (ms: number) => piece.startMs <= ms && ms < piece.endMs;
  const instants = new Set<number>([piece.startMs]);
  for (const segment of segments) if (within(segment.from.getTime())) instants.add(segment.from.getTime());
  if (within(rule.createdAt.getTime())) instants.add(rule.createdAt.getTime());
  if (rule.periodSeconds > 0) {
    const first = periodAt(rule, anchorMs, piece.startMs);
    for (let ms = first.endMs as number; ms < piece.endMs; ms += rule.periodSeconds * SECOND_MS) instants.add(ms);
  }
  return [...instants].sort((a, b) => a - b);
}
