import type { DailyUsageEntity, MonthlyUsageEntity } from '../../src/billing/settlement/usage.entity';
import { type NewUsageRow, settleHour } from '../../src/billing/settlement/hour-settlement';
import { hourlyChargeKey } from '../../src/billing/settlement/hourly-charge-key';
import { HOUR_MS, hourPieces } from '../../src/billing/rating';
import type { InstanceEntity } from '../../src/instances/instance.entity';
import { type BenchDb, columnsNamed, forUpdate, inList, insertRows, type Timed } from './bench-db';
import { priceMetered, readMetered, writeMetered } from './bare-sql-metered';
import { type Row, toDaily, toMonthly, toPricing, toSegment } from './bare-sql-rows';

export interface BareSqlResult {
  instanceHours: number;
  charges: number;
  batches: number;
  /** Milliseconds per step, summed over the batches. */
  steps: Record<string, number>;
}

type LockedInstance = Pick<InstanceEntity, 'id' | 'userId' | 'createdAtMs'>;

const DUE = 'settled_until_ms = ? AND (terminated_at_ms IS NULL OR terminated_at_ms > ?)';

/**
 * The same settlement as SettlementService for one hour, written as the fewest plain statements: per batch of
 * `batchSize` accounts one transaction that locks the accounts and their due instances, reads the segments, plan
 * prices, the month's and day's rollups, the plan's rules, the instances' unbilled usage reports, the rules' and
 * counters' running totals and prepaid periods and the counters' ranges, then writes each table with multi-row
 * statements (usage, rule usage, both monthly rollups, the reports' charges, the daily rollup, ledger, balances,
 * settled_until). The pricing is the engine's own pure functions (settleHour, settleMeteredHour), so the
 * comparison measures data access only.
 */
export async function settleHourWithBareSql(db: BenchDb, hourMs: number, batchSize: number): Promise<BareSqlResult> {
  const [settings] = await db.rows<{ granularity: number; timeZone: string }>(
    'SELECT billing_granularity_seconds AS granularity, time_zone AS timeZone FROM cloud_billing_settings WHERE id = 1',
  );
  const pieces = hourPieces(hourMs, settings.timeZone);
  const note = `usage ${new Date(hourMs).toISOString().slice(0, 13)}:00Z`;
  const steps: Record<string, number> = {};
  const timed: Timed = async (step, work) => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      steps[step] = (steps[step] ?? 0) + performance.now() - started;
    }
  };
  const result: BareSqlResult = { instanceHours: 0, charges: 0, batches: 0, steps };

  for (let afterUserId = ''; ;) {
    const users = await timed('page users', () =>
      db.rows<{ userId: string }>(
        `SELECT DISTINCT user_id AS userId FROM cloud_billing_instances WHERE ${DUE} AND user_id > ? ORDER BY user_id LIMIT ?`,
        [hourMs, hourMs, afterUserId, batchSize],
      ),
    );
    if (users.length === 0) break;
    const userIds = users.map((u) => u.userId).sort();
    afterUserId = users[users.length - 1].userId;
    result.batches += 1;

    await timed('BEGIN', () => db.begin());
    try {
      const accounts = await timed('lock accounts', () =>
        db.rows<{ userId: string; balance: string }>(
          `SELECT user_id AS userId, balance FROM cloud_billing_accounts WHERE user_id IN ${inList(userIds)}
           ORDER BY user_id${forUpdate(db)}`,
          userIds,
        ),
      );
      const instances = (
        await timed('lock instances', () =>
          db.rows<Row>(
            `SELECT id, user_id, created_at_ms FROM cloud_billing_instances WHERE ${DUE} AND user_id IN ${inList(userIds)}
             ORDER BY id${forUpdate(db)}`,
            [hourMs, hourMs, ...userIds],
          ),
        )
      ).map((row): LockedInstance => ({
        id: String(row.id),
        userId: String(row.user_id),
        createdAtMs: Number(row.created_at_ms),
      }));
      const instanceIds = instances.map((i) => i.id);
      const segments = (
        await timed('read segments', () =>
          db.rows<Row>(
            `SELECT id, instance_id, plan_id, state, started_at_ms, ended_at_ms, quantities FROM cloud_billing_instance_segments
             WHERE instance_id IN ${inList(instanceIds)} AND started_at_ms < ? AND (ended_at_ms IS NULL OR ended_at_ms > ?)
             ORDER BY started_at_ms, id`,
            [...instanceIds, hourMs + HOUR_MS, hourMs],
          ),
        )
      ).map(toSegment);
      const planIds = [...new Set(segments.map((s) => s.planId))];
      const plans = await timed('read plans', () =>
        db.rows<Row>(
          `SELECT id, hourly_price, monthly_price, stopped_hourly_price, suspended_hourly_price
           FROM cloud_billing_plans WHERE id IN ${inList(planIds)}`,
          planIds,
        ),
      );
      const monthKeys = [...new Set(pieces.map((p) => p.monthKey))];
      const dayKeys = [...new Set(pieces.map((p) => p.dayKey))];
      const monthly = await timed('read monthly', () =>
        db.rows<Row>(
          `SELECT * FROM cloud_billing_monthly_usage WHERE instance_id IN ${inList(instanceIds)} AND month_key IN ${inList(monthKeys)}`,
          [...instanceIds, ...monthKeys],
        ),
      );
      const daily = (
        await timed('read daily', () =>
          db.rows<Row>(
            `SELECT * FROM cloud_billing_daily_usage WHERE user_id IN ${inList(userIds)} AND day_key IN ${inList(dayKeys)}`,
            [...userIds, ...dayKeys],
          ),
        )
      ).map(toDaily);
      const metered = await readMetered(db, timed, { instanceIds, planIds, monthKeys, hourMs });

      const [priced, meteredHour] = await timed('price (settleHour, settleMeteredHour)', async () => {
        const instanceHour = settleHour({
          hourStartMs: hourMs,
          timeZone: settings.timeZone,
          granularitySeconds: Number(settings.granularity),
          instances: instances as InstanceEntity[],
          segments,
          pricing: new Map(plans.map((p) => [Number(p.id), toPricing(p)])),
          pieces,
          monthly: monthly.map(toMonthly),
          daily,
        });
        const rated = priceMetered({
          hourMs,
          timeZone: settings.timeZone,
          pieces,
          instances,
          segments,
          inputs: metered,
          daily,
          hourDaily: instanceHour.daily,
        });
        return [instanceHour, rated] as const;
      });

      const nowMs = Date.now();
      await timed('insert usage', () => insertRows(db, 'cloud_billing_usage', USAGE_COLUMNS, priced.usage));
      await timed('upsert monthly', () =>
        insertRows(db, 'cloud_billing_monthly_usage', MONTHLY_COLUMNS, priced.monthly, {
          key: ['instance_id', 'plan_id', 'month_key'],
          update: ['hours', 'billed_seconds', 'charge', 'hourly_rate'],
        }),
      );
      await writeMetered(db, timed, meteredHour, nowMs);
      await timed('upsert daily', () =>
        insertRows(db, 'cloud_billing_daily_usage', DAILY_COLUMNS, meteredHour.daily, {
          key: ['user_id', 'day_key'],
          update: ['billed_seconds', 'charge', 'rule_charge', 'counter_charge'],
        }),
      );

      const balances = new Map(accounts.map((a) => [a.userId, Number(a.balance)]));
      const charged = new Map(priced.chargesByUser);
      for (const [userId, amount] of meteredHour.chargesByUser)
        charged.set(userId, (charged.get(userId) ?? 0) + amount);
      const charges = [...charged].filter(([, amount]) => amount !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
      const now = new Date(nowMs);
      const entries = charges.map(([userId, amount]) => {
        const balanceAfter = (balances.get(userId) as number) - amount;
        balances.set(userId, balanceAfter);
        return { userId, amount: -amount, balanceAfter, key: hourlyChargeKey(userId, hourMs) };
      });
      await timed('insert ledger', () =>
        insertRows(
          db,
          'cloud_billing_ledger_entries',
          [
            ['user_id', (e) => e.userId],
            ['kind', () => 'charge'],
            ['amount', (e) => e.amount],
            ['balance_after', (e) => e.balanceAfter],
            ['idempotency_key', (e) => e.key],
            ['note', () => note],
            ['hour_start_ms', () => hourMs],
            ['created_at', () => now],
          ],
          entries,
        ),
      );
      // An upsert on the key: one statement sets every balance, and marks each account due for threshold evaluation.
      await timed('update balances', () =>
        insertRows(
          db,
          'cloud_billing_accounts',
          [
            ['user_id', (e) => e.userId],
            ['balance', (e) => e.balanceAfter],
            ['created_at', () => now],
            ['updated_at', () => now],
            ['evaluation_due_at_ms', () => nowMs],
          ],
          entries,
          { key: ['user_id'], update: ['balance', 'updated_at', 'evaluation_due_at_ms'] },
        ),
      );
      if (instanceIds.length > 0) {
        await timed('mark settled', () =>
          db.run(`UPDATE cloud_billing_instances SET settled_until_ms = ? WHERE id IN ${inList(instanceIds)}`, [
            hourMs + HOUR_MS,
            ...instanceIds,
          ]),
        );
      }
      await timed('COMMIT', () => db.commit());
      result.instanceHours += instances.length;
      result.charges += charges.length;
    } catch (error) {
      await db.rollback();
      throw error;
    }
  }
  return result;
}

const USAGE_COLUMNS = columnsNamed<NewUsageRow>([
  'instanceId',
  'userId',
  'planId',
  'hourStartMs',
  'periodStartMs',
  'monthKey',
  'dayKey',
  'runningSeconds',
  'stoppedSeconds',
  'suspendedSeconds',
  'billedSeconds',
  'runningRate',
  'stoppedRate',
  'suspendedRate',
  'upfrontCharge',
  'charge',
  'capped',
  'revision',
  'superseded',
]);

const MONTHLY_COLUMNS = columnsNamed<MonthlyUsageEntity>([
  'instanceId',
  'planId',
  'monthKey',
  'userId',
  'hours',
  'billedSeconds',
  'charge',
  'hourlyRate',
]);

const DAILY_COLUMNS = columnsNamed<DailyUsageEntity>([
  'userId',
  'dayKey',
  'billedSeconds',
  'charge',
  'ruleCharge',
  'counterCharge',
]);
