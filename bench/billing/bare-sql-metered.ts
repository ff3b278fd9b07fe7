import type { CalendarPiece, Segment } from '../../src/billing/rating';
import { toRatingSegment } from '../../src/billing/settlement/hour-settlement';
import type { MeteredMonthlyEntity } from '../../src/billing/settlement/metered-monthly.entity';
import {
  type NewRuleUsageRow,
  type PrepaidRow,
  settleMeteredHour,
} from '../../src/billing/settlement/metered-hour-settlement';
import { MeteredRollups } from '../../src/billing/settlement/metered-rollups';
import type { DailyUsageEntity } from '../../src/billing/settlement/usage.entity';
import { groupBy } from '../../src/common/group-by';
import type { InstanceEntity, SegmentEntity } from '../../src/instances/instance.entity';
import type { BilledReport } from '../../src/metering/metered-usage-billing.service';
import type { MeteredUsageEntity } from '../../src/metering/metered-usage.entity';
import { toResourceRule } from '../../src/metering/metering-rows';
import type { MeteredCounter, ResourceRule } from '../../src/metering/metering.types';
import { countersOf, type Row, toReport, toRollup, toRuleEntity } from './bare-sql-rows';
import { type BenchDb, columnsNamed, inList, insertRows, num, type Timed } from './bench-db';

/** The longest prepaid period (31 days) and the hour it may start in: as far back as a period in force began. */
const PREPAID_LOOKBACK_MS = (31 * 24 + 1) * 3_600_000;

export interface MeteredInputs {
  rules: ResourceRule[];
  usage: MeteredUsageEntity[];
  rollups: MeteredMonthlyEntity[];
  prepaid: PrepaidRow[];
  counters: Map<number, MeteredCounter>;
}

/**
 * What the rules and counters of a batch's hour are priced from, one statement each: the plans' rules, the
 * instances' unbilled reports up to the hour's end, their running totals for the hour's months, the prepaid
 * charges that can still be in force, and the reports' counters with their ranges.
 */
export async function readMetered(
  db: BenchDb,
  timed: Timed,
  batch: { instanceIds: string[]; planIds: number[]; monthKeys: string[]; hourMs: number },
): Promise<MeteredInputs> {
  const { instanceIds, planIds, monthKeys, hourMs } = batch;
  const rules = await timed('read rules', () =>
    db.rows<Row>(
      `SELECT * FROM cloud_billing_resource_rules WHERE plan_id IN ${inList(planIds)} ORDER BY rule_key, id`,
      planIds,
    ),
  );
  const usage = await timed('read reports', () =>
    db.rows<Row>(
      `SELECT id, instance_id, counter_id, at_ms, quantity FROM cloud_billing_metered_usage
       WHERE billed_at_ms IS NULL AND instance_id IN ${inList(instanceIds)} AND hour_start_ms < ? AND late = 0
       ORDER BY at_ms, id`,
      [...instanceIds, hourMs + 3_600_000],
    ),
  );
  const rollups = await timed('read metered monthly', () =>
    db.rows<Row>(
      `SELECT * FROM cloud_billing_metered_monthly WHERE instance_id IN ${inList(instanceIds)} AND month_key IN ${inList(monthKeys)}`,
      [...instanceIds, ...monthKeys],
    ),
  );
  const prepaid = await timed('read prepaid', () =>
    db.rows<Row>(
      `SELECT instance_id, rule_id, prepaid_period_start_ms, paid_quantity FROM cloud_billing_rule_usage
       WHERE instance_id IN ${inList(instanceIds)} AND superseded = 0 AND prepaid_period_start_ms IS NOT NULL
         AND (hour_start_ms >= ? OR period_seconds = 0)
       ORDER BY hour_start_ms, period_start_ms`,
      [...instanceIds, hourMs - PREPAID_LOOKBACK_MS],
    ),
  );
  const counterIds = [...new Set(usage.map((row) => Number(row.counter_id)))];
  const counters =
    counterIds.length === 0
      ? []
      : await timed('read counters', () =>
          db.rows<Row>(
            `SELECT c.*, r.position, r.range_from, r.price FROM cloud_billing_metered_counters c
             JOIN cloud_billing_counter_ranges r ON r.counter_id = c.id WHERE c.id IN ${inList(counterIds)}`,
            counterIds,
          ),
        );
  return {
    rules: rules.map((row) => toResourceRule(toRuleEntity(row))),
    usage: usage.map(toReport),
    rollups: rollups.map(toRollup),
    prepaid: prepaid.map((row) => ({
      instanceId: String(row.instance_id),
      ruleId: Number(row.rule_id),
      prepaidPeriodStartMs: num(row.prepaid_period_start_ms),
      paidQuantity: num(row.paid_quantity),
    })),
    counters: countersOf(counters),
  };
}

export interface MeteredPriced {
  ruleRows: NewRuleUsageRow[];
  billed: BilledReport[];
  /** The running totals something was added to. */
  rollups: MeteredMonthlyEntity[];
  chargesByUser: Map<string, number>;
  /** The daily rollup rows to write: the instance hour's, with what rules and counters add. */
  daily: DailyUsageEntity[];
}

const dayKeyOf = (row: Pick<DailyUsageEntity, 'userId' | 'dayKey'>) => `${row.userId}|${row.dayKey}`;

/**
 * Prices the rules and counters with the engine's pure settleMeteredHour, one instance at a time against that
 * instance's own running totals (what a hand-written loop would do), adding its charges to its user's days.
 * `daily` holds the day rows read, `hourDaily` those the instance hour changed; the rows to write are those and
 * the ones rules and counters changed.
 */
export function priceMetered(input: {
  hourMs: number;
  timeZone: string;
  pieces: CalendarPiece[];
  instances: Pick<InstanceEntity, 'id' | 'userId' | 'createdAtMs'>[];
  segments: SegmentEntity[];
  inputs: MeteredInputs;
  daily: DailyUsageEntity[];
  hourDaily: DailyUsageEntity[];
}): MeteredPriced {
  const { inputs } = input;
  const segments = new Map<string, Segment[]>(
    [...groupBy(input.segments, (s) => s.instanceId)].map(([id, rows]) => [id, rows.map(toRatingSegment)]),
  );
  const [rollupsOf, usageOf, prepaidOf] = [
    groupBy(inputs.rollups, (row) => row.instanceId),
    groupBy(inputs.usage, (row) => row.instanceId),
    groupBy(inputs.prepaid, (row) => row.instanceId),
  ];
  const days = new Map([...input.daily, ...input.hourDaily].map((row) => [dayKeyOf(row), row]));
  const written = new Set(input.hourDaily.map(dayKeyOf));
  const priced: MeteredPriced = { ruleRows: [], billed: [], rollups: [], chargesByUser: new Map(), daily: [] };
  for (const instance of input.instances) {
    const rollups = new MeteredRollups(rollupsOf.get(instance.id) ?? []);
    const hour = settleMeteredHour({
      hourStartMs: input.hourMs,
      timeZone: input.timeZone,
      pieces: input.pieces,
      instances: [instance],
      segments,
      rules: inputs.rules,
      rollups,
      prepaid: prepaidOf.get(instance.id) ?? [],
      usage: usageOf.get(instance.id) ?? [],
      counters: inputs.counters,
    });
    priced.ruleRows.push(...hour.ruleRows);
    priced.billed.push(...hour.billed);
    priced.rollups.push(...rollups.changed());
    for (const [userId, amount] of hour.chargesByUser) {
      priced.chargesByUser.set(userId, (priced.chargesByUser.get(userId) ?? 0) + amount);
    }
    const before = input.pieces.flatMap(
      (piece) => days.get(dayKeyOf({ userId: instance.userId, dayKey: piece.dayKey })) ?? [],
    );
    for (const row of hour.days.addedTo(before)) {
      days.set(dayKeyOf(row), row);
      written.add(dayKeyOf(row));
    }
  }
  priced.daily = [...written].map((key) => days.get(key) as DailyUsageEntity);
  return priced;
}

/**
 * The rule usage rows, the running totals that changed, and the reports' charges: multi-row statements. A report
 * is marked billed through a join with a VALUES list (MariaDB) or an UPDATE … FROM one (SQLite), only while unbilled.
 */
export async function writeMetered(db: BenchDb, timed: Timed, priced: MeteredPriced, nowMs: number): Promise<void> {
  await timed('insert rule usage', () =>
    insertRows(db, 'cloud_billing_rule_usage', RULE_USAGE_COLUMNS, priced.ruleRows),
  );
  await timed('upsert metered monthly', () =>
    insertRows(db, 'cloud_billing_metered_monthly', METERED_MONTHLY_COLUMNS, priced.rollups, {
      key: ['instance_id', 'item', 'item_id', 'month_key'],
      update: ['quantity', 'charge'],
    }),
  );
  await timed('mark reports billed', () => markBilled(db, priced.billed, nowMs));
}

const REPORTS_PER_STATEMENT = 1_000;

async function markBilled(db: BenchDb, billed: BilledReport[], nowMs: number): Promise<void> {
  for (let start = 0; start < billed.length; start += REPORTS_PER_STATEMENT) {
    const chunk = billed.slice(start, start + REPORTS_PER_STATEMENT);
    const params = chunk.flatMap((r) => [r.id, r.chargeMicros, r.monthKey, r.dayKey]);
    const tuples = chunk.map(() => '(?, ?, ?, ?)').join(', ');
    const written =
      db.engine === 'mariadb'
        ? await db.run(
            `UPDATE cloud_billing_metered_usage u JOIN (SELECT 0 AS id, 0 AS charge, '' AS month_key, '' AS day_key
               UNION ALL VALUES ${tuples}) v ON u.id = v.id
             SET u.billed_at_ms = ?, u.charge = v.charge, u.month_key = v.month_key, u.day_key = v.day_key
             WHERE u.billed_at_ms IS NULL`,
            [...params, nowMs],
          )
        : await db.run(
            `UPDATE cloud_billing_metered_usage SET billed_at_ms = ?, charge = v.column2, month_key = v.column3,
               day_key = v.column4
             FROM (VALUES ${tuples}) AS v WHERE cloud_billing_metered_usage.id = v.column1 AND billed_at_ms IS NULL`,
            [nowMs, ...params],
          );
    if (written !== chunk.length) throw new Error(`${chunk.length - written} reports were billed already`);
  }
}

const RULE_USAGE_COLUMNS = columnsNamed<NewRuleUsageRow>(
  [
    'instanceId',
    'userId',
    'ruleId',
    'planId',
    'hourStartMs',
    'periodStartMs',
    'monthKey',
    'dayKey',
    'quantitySeconds',
    'chargedQuantity',
    'prepaidPeriodStartMs',
    'paidQuantity',
    'priceMicros',
    'periodSeconds',
    'charge',
    'revision',
    'superseded',
  ],
  { priceMicros: 'price' },
);

const METERED_MONTHLY_COLUMNS = columnsNamed<MeteredMonthlyEntity>([
  'instanceId',
  'item',
  'itemId',
  'monthKey',
  'userId',
  'quantity',
  'charge',
]);
