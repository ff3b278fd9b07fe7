import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { MonthlyUsageEntity } from '../../src/billing/settlement/usage.entity';
import { settleHour } from '../../src/billing/settlement/hour-settlement';
import { hourlyChargeKey } from '../../src/billing/settlement/hourly-charge-key';
import { HOUR_MS, monthKey, type PlanPricing } from '../../src/billing/rating';
import type { InstanceEntity, SegmentEntity } from '../../src/instances/instance.entity';
import { resourceQuantitiesTransformer } from '../../src/instances/resource-quantities.column';
import { valuesClause } from './database';

export interface BareSqlResult {
  instanceHours: number;
  charges: number;
  batches: number;
  /** Milliseconds per step, summed over the batches. */
  steps: Record<string, number>;
}

const DUE = 'settled_until_ms = ? AND (terminated_at_ms IS NULL OR terminated_at_ms > ?)';
const rowsOf = async <T>(db: Connection, sql: string, params: unknown[]) =>
  (await db.query<RowDataPacket[]>(sql, params))[0] as unknown as T[];

/**
 * The same settlement as SettlementService for one hour, written as the fewest plain statements: per batch of
 * `batchSize` accounts one transaction of 11 round trips (page of users, lock accounts, lock instances, read
 * segments, plan prices and the month's rollups, then one multi-row write per table). The pricing itself is
 * the engine's own pure `settleHour`, so the comparison measures data access only.
 */
export async function settleHourWithBareSql(db: Connection, hourMs: number, batchSize: number): Promise<BareSqlResult> {
  const [[settings]] = (await db.query(
    'SELECT billing_granularity_seconds AS granularity, time_zone AS timeZone FROM cloud_billing_settings WHERE id = 1',
  )) as [{ granularity: number; timeZone: string }[], unknown];
  const month = monthKey(new Date(hourMs), settings.timeZone);
  const note = `usage ${new Date(hourMs).toISOString().slice(0, 13)}:00Z`;
  const steps: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
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
      rowsOf<{ userId: string }>(
        db,
        `SELECT DISTINCT user_id AS userId FROM cloud_billing_instances WHERE ${DUE} AND user_id > ? ORDER BY user_id LIMIT ?`,
        [hourMs, hourMs, afterUserId, batchSize],
      ),
    );
    if (users.length === 0) break;
    const userIds = users.map((u) => u.userId).sort();
    afterUserId = users[users.length - 1].userId;
    result.batches += 1;

    await timed('BEGIN', () => db.beginTransaction());
    try {
      const accounts = await timed('lock accounts', () =>
        rowsOf<{ userId: string; balance: string }>(
          db,
          'SELECT user_id AS userId, balance FROM cloud_billing_accounts WHERE user_id IN (?) ORDER BY user_id FOR UPDATE',
          [userIds],
        ),
      );
      const instances = await timed('lock instances', () =>
        rowsOf<{ id: string; userId: string }>(
          db,
          `SELECT id, user_id AS userId FROM cloud_billing_instances WHERE ${DUE} AND user_id IN (?) ORDER BY id FOR UPDATE`,
          [hourMs, hourMs, userIds],
        ),
      );
      const instanceIds = instances.map((i) => i.id);
      const segments = await timed('read segments', () =>
        rowsOf<Record<string, string | null>>(
          db,
          `SELECT id, instance_id, plan_id, state, started_at_ms, ended_at_ms, quantities FROM cloud_billing_instance_segments
           WHERE instance_id IN (?) AND started_at_ms < ? AND (ended_at_ms IS NULL OR ended_at_ms > ?)
           ORDER BY started_at_ms, id`,
          [instanceIds, hourMs + HOUR_MS, hourMs],
        ),
      );
      const planIds = [...new Set(segments.map((s) => Number(s.plan_id)))];
      const plans = await timed('read plans', () =>
        rowsOf<Record<string, string | null>>(
          db,
          `SELECT id, hourly_price, monthly_price, stopped_hourly_price, suspended_hourly_price
           FROM cloud_billing_plans WHERE id IN (?)`,
          [planIds],
        ),
      );
      const monthly = await timed('read monthly', () =>
        rowsOf<Record<string, string>>(
          db,
          'SELECT * FROM cloud_billing_monthly_usage WHERE instance_id IN (?) AND month_key = ?',
          [instanceIds, month],
        ),
      );

      const priced = await timed('price (settleHour)', async () =>
        settleHour({
          hourStartMs: hourMs,
          timeZone: settings.timeZone,
          granularitySeconds: Number(settings.granularity),
          instances: instances as unknown as InstanceEntity[],
          segments: segments.map(toSegment),
          pricing: new Map(plans.map((p) => [Number(p.id), toPricing(p)])),
          monthly: monthly.map(toMonthly),
        }),
      );

      if (priced.usage.length > 0) {
        const usage = valuesClause(
          priced.usage.map((u) => [
            u.instanceId,
            u.userId,
            u.planId,
            u.hourStartMs,
            u.monthKey,
            u.runningSeconds,
            u.stoppedSeconds,
            u.suspendedSeconds,
            u.billedSeconds,
            u.runningRate,
            u.stoppedRate,
            u.suspendedRate,
            u.upfrontCharge,
            u.charge,
            u.capped ? 1 : 0,
          ]),
        );
        await timed('insert usage', () =>
          db.query(
            `INSERT INTO cloud_billing_usage (instance_id, user_id, plan_id, hour_start_ms, month_key, running_seconds,
               stopped_seconds, suspended_seconds, billed_seconds, running_rate, stopped_rate, suspended_rate,
               upfront_charge, charge, capped) VALUES ${usage.sql}`,
            usage.params,
          ),
        );
      }
      if (priced.monthly.length > 0) {
        const rollups = valuesClause(
          priced.monthly.map((m) => [m.instanceId, m.planId, m.monthKey, m.userId, m.hours, m.billedSeconds, m.charge]),
        );
        await timed('upsert monthly', () =>
          db.query(
            `INSERT INTO cloud_billing_monthly_usage (instance_id, plan_id, month_key, user_id, hours, billed_seconds, charge)
             VALUES ${rollups.sql}
             ON DUPLICATE KEY UPDATE hours = VALUES(hours), billed_seconds = VALUES(billed_seconds), charge = VALUES(charge)`,
            rollups.params,
          ),
        );
      }

      const now = new Date();
      const balances = new Map(accounts.map((a) => [a.userId, Number(a.balance)]));
      const charges = [...priced.chargesByUser]
        .filter(([, amount]) => amount !== 0)
        .sort(([a], [b]) => (a < b ? -1 : 1));
      if (charges.length > 0) {
        const entries = charges.map(([userId, amount]) => {
          const balanceAfter = (balances.get(userId) as number) - amount;
          balances.set(userId, balanceAfter);
          return [userId, 'charge', -amount, balanceAfter, hourlyChargeKey(userId, hourMs), note, now];
        });
        const ledger = valuesClause(entries);
        await timed('insert ledger', () =>
          db.query(
            `INSERT INTO cloud_billing_ledger_entries (user_id, kind, amount, balance_after, idempotency_key, note, created_at)
             VALUES ${ledger.sql}`,
            ledger.params,
          ),
        );
        const updated = valuesClause(charges.map(([userId]) => [userId, balances.get(userId), now, now]));
        await timed('update balances', () =>
          db.query(
            `INSERT INTO cloud_billing_accounts (user_id, balance, created_at, updated_at) VALUES ${updated.sql}
             ON DUPLICATE KEY UPDATE balance = VALUES(balance), updated_at = VALUES(updated_at)`,
            updated.params,
          ),
        );
      }
      if (instanceIds.length > 0) {
        await timed('mark settled', () =>
          db.query('UPDATE cloud_billing_instances SET settled_until_ms = ? WHERE id IN (?)', [
            hourMs + HOUR_MS,
            instanceIds,
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

const num = (value: string | null) => (value === null ? null : Number(value));

function toSegment(row: Record<string, string | null>): SegmentEntity {
  return {
    id: String(row.id),
    instanceId: String(row.instance_id),
    planId: Number(row.plan_id),
    state: row.state as SegmentEntity['state'],
    startedAtMs: Number(row.started_at_ms),
    endedAtMs: num(row.ended_at_ms),
    quantities: resourceQuantitiesTransformer.from(row.quantities),
  };
}

function toPricing(row: Record<string, string | null>): PlanPricing {
  return {
    planId: Number(row.id),
    hourlyPrice: num(row.hourly_price),
    monthlyPrice: num(row.monthly_price),
    stoppedHourlyPrice: num(row.stopped_hourly_price),
    suspendedHourlyPrice: num(row.suspended_hourly_price),
  };
}

function toMonthly(row: Record<string, string>): MonthlyUsageEntity {
  return {
    instanceId: row.instance_id,
    planId: Number(row.plan_id),
    monthKey: row.month_key,
    userId: row.user_id,
    hours: Number(row.hours),
    billedSeconds: Number(row.billed_seconds),
    charge: Number(row.charge),
  };
}
