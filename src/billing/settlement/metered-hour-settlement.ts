import { groupBy } from '../../common/group-by';
import { toSafeNumber } from '../../common/money';
import type { InstanceEntity } from '../../instances/instance.entity';
import type { MeteredCounter, ResourceRule } from '../../metering/metering.types';
import type { BilledReport } from '../../metering/metered-usage-billing.service';
import type { MeteredUsageEntity } from '../../metering/metered-usage.entity';
import {
  type CalendarPiece,
  type PrepaidState,
  rateCounterUsage,
  type RatedCounterUsage,
  rateRuleHour,
  type Segment,
} from '../rating';
import { MeteredDays, MeteredRollups } from './metered-rollups';
import type { RuleUsageEntity } from './rule-usage.entity';

export type NewRuleUsageRow = Omit<RuleUsageEntity, 'id'>;

/** A prepaid rule's latest charge on an instance: what its current period is paid for. */
export type PrepaidRow = Pick<RuleUsageEntity, 'instanceId' | 'ruleId' | 'prepaidPeriodStartMs' | 'paidQuantity'>;

export interface MeteredHourInput {
  hourStartMs: number;
  timeZone: string;
  pieces: readonly CalendarPiece[];
  instances: readonly Pick<InstanceEntity, 'id' | 'userId' | 'createdAtMs'>[];
  /** Each instance's segments overlapping the hour, as rating reads them. */
  segments: ReadonlyMap<string, readonly Segment[]>;
  /** The rules of every plan those segments are on, retired ones included. */
  rules: readonly ResourceRule[];
  rollups: MeteredRollups;
  /** The latest prepaid charge per instance and rule (older rows of the same pair may be included: the latest wins). */
  prepaid: readonly PrepaidRow[];
  /** The instances' unbilled reports up to the end of the hour, and the counters they name. */
  usage: readonly MeteredUsageEntity[];
  counters: ReadonlyMap<number, MeteredCounter>;
}

export interface MeteredHourSettlement {
  ruleRows: NewRuleUsageRow[];
  billed: BilledReport[];
  days: MeteredDays;
  /** Micro-credits per user the rules and counters add to the hour's charge. */
  chargesByUser: Map<string, number>;
}

/**
 * Prices the resource rules and metered counters of one hour for a batch of instances (pure; the settlement service
 * loads and writes): a rule usage row per instance, rule and piece; each report charged against its month's running
 * total; the running totals (`rollups`) updated; and per user what it adds to the hour's charge.
 */
export function settleMeteredHour(input: MeteredHourInput): MeteredHourSettlement {
  const usageOf = groupBy(input.usage, (row) => row.instanceId);
  const prepaidOf = groupBy(input.prepaid, (row) => row.instanceId);
  const result: MeteredHourSettlement = {
    ruleRows: [],
    billed: [],
    days: new MeteredDays(),
    chargesByUser: new Map(),
  };
  const charge = (userId: string, amount: bigint) => {
    if (amount !== 0n) result.chargesByUser.set(userId, (result.chargesByUser.get(userId) ?? 0) + toSafeNumber(amount));
  };

  for (const instance of input.instances) {
    const segments = input.segments.get(instance.id) ?? [];
    const plans = new Set(segments.map((segment) => segment.planId));
    const rules = input.rules.filter((rule) => plans.has(rule.planId));
    if (rules.length > 0) {
      const rows = rateRuleHour({
        segments,
        hourStartMs: input.hourStartMs,
        pieces: input.pieces,
        rules,
        anchorMs: instance.createdAtMs,
        totals: {
          monthQuantitySeconds: input.rollups.totalsOf(instance.id, 'rule'),
          monthCharge: input.rollups.chargesOf(instance.id, 'rule'),
          prepaid: prepaidStates(prepaidOf.get(instance.id) ?? []),
        },
      });
      for (const row of rows) {
        const quantity = row.chargedQuantity ?? row.quantitySeconds;
        input.rollups.add(instance, 'rule', row.ruleId, row.monthKey, quantity, row.charge);
        result.days.add(instance.userId, row.dayKey, 'rule', row.charge);
        charge(instance.userId, row.charge);
        result.ruleRows.push(toRuleUsageRow(instance, row));
      }
    }
    const usage = usageOf.get(instance.id) ?? [];
    if (usage.length > 0) {
      const rated = rateCounterUsage(
        usage.map((row) => ({ id: row.id, counterId: row.counterId, atMs: row.atMs, quantity: BigInt(row.quantity) })),
        input.counters,
        input.timeZone,
        input.rollups.totalsOf(instance.id, 'counter'),
      );
      for (const row of rated) {
        addCounterUsage(input.rollups, result.days, instance, row);
        charge(instance.userId, row.charge);
        result.billed.push(toBilledReport(row));
      }
    }
  }
  return result;
}

/** Adds a rated report to its month's running total and its day. */
export function addCounterUsage(
  rollups: MeteredRollups,
  days: MeteredDays,
  instance: { id: string; userId: string },
  row: RatedCounterUsage,
): void {
  rollups.add(instance, 'counter', row.counterId, row.monthKey, row.quantity, row.charge);
  days.add(instance.userId, row.dayKey, 'counter', row.charge);
}

export const toBilledReport = (row: RatedCounterUsage): BilledReport => ({
  id: row.id,
  chargeMicros: toSafeNumber(row.charge),
  monthKey: row.monthKey,
  dayKey: row.dayKey,
});

export function toRuleUsageRow(
  instance: { id: string; userId: string },
  row: ReturnType<typeof rateRuleHour>[number],
  revision = 0,
): NewRuleUsageRow {
  const optional = (value: bigint | null) => (value === null ? null : toSafeNumber(value));
  return {
    instanceId: instance.id,
    userId: instance.userId,
    ruleId: row.ruleId,
    planId: row.planId,
    hourStartMs: row.hourStartMs,
    periodStartMs: row.periodStartMs,
    monthKey: row.monthKey,
    dayKey: row.dayKey,
    quantitySeconds: toSafeNumber(row.quantitySeconds),
    chargedQuantity: optional(row.chargedQuantity),
    prepaidPeriodStartMs: row.prepaidPeriodStartMs,
    paidQuantity: optional(row.paidQuantity),
    priceMicros: row.priceMicros,
    periodSeconds: row.periodSeconds,
    charge: toSafeNumber(row.charge),
    revision,
    superseded: false,
  };
}

/** The latest state per rule of an instance's prepaid rows, given oldest first. */
export function prepaidStates(rows: readonly PrepaidRow[]): Map<number, PrepaidState> {
  const states = new Map<number, PrepaidState>();
  for (const row of rows) {
    if (row.prepaidPeriodStartMs === null || row.paidQuantity === null) continue;
    states.set(row.ruleId, { periodStartMs: row.prepaidPeriodStartMs, paidQuantity: BigInt(row.paidQuantity) });
  }
  return states;
}
