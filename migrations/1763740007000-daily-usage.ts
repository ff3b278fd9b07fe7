import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { dayKey } from '../src/reports/report-calendar';

const id = (name: string) => ({ name, type: 'varchar', length: '64' });
/** Users whose settled hours are rolled up per statement while backfilling: keeps memory flat on a big table. */
const BACKFILL_USERS = 200;
/** Rows per multi-row INSERT. */
const INSERT_ROWS = 500;

/**
 * The daily rollup the usage report's chart reads (per user and day in the billing time zone), and the
 * rate on record on each monthly rollup row. Both are filled in from the hourly usage rows already settled,
 * so a database that billed before this migration reports its past months in full.
 */
export class DailyUsage1763740007000 implements MigrationInterface {
  name = 'DailyUsage1763740007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_daily_usage',
        columns: [
          { ...id('user_id'), isPrimary: true },
          { name: 'day_key', type: 'varchar', length: '10', isPrimary: true },
          { name: 'billed_seconds', type: 'bigint' },
          { name: 'charge', type: 'bigint' },
        ],
        // The all-users report sums a month's days across users.
        indices: [{ name: 'IDX_cloud_billing_daily_usage_day', columnNames: ['day_key'] }],
      }),
    );
    await queryRunner.addColumn(
      'cloud_billing_monthly_usage',
      new TableColumn({ name: 'hourly_rate', type: 'bigint', isNullable: true }),
    );
    // The rate of the latest settled hour of each row, found through the usage table's unique index.
    await queryRunner.query(
      `UPDATE cloud_billing_monthly_usage SET hourly_rate = (
         SELECT u.running_rate FROM cloud_billing_usage u
         WHERE u.instance_id = cloud_billing_monthly_usage.instance_id
           AND u.plan_id = cloud_billing_monthly_usage.plan_id
           AND u.month_key = cloud_billing_monthly_usage.month_key
         ORDER BY u.hour_start_ms DESC LIMIT 1)`,
    );
    await backfillDailyUsage(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cloud_billing_monthly_usage', 'hourly_rate');
    await queryRunner.dropTable('cloud_billing_daily_usage', true, true, true);
  }
}

/** Sums the settled hours per user and hour in SQL, then files each hour under its day in the billing zone. */
async function backfillDailyUsage(queryRunner: QueryRunner): Promise<void> {
  const [settings] = (await queryRunner.query('SELECT time_zone FROM cloud_billing_settings WHERE id = 1')) as {
    time_zone: string;
  }[];
  const timeZone = settings?.time_zone ?? 'UTC';
  let afterUserId = '';
  for (;;) {
    const users = (
      (await queryRunner.query(
        'SELECT DISTINCT user_id FROM cloud_billing_usage WHERE user_id > ? ORDER BY user_id LIMIT ?',
        [afterUserId, BACKFILL_USERS],
      )) as { user_id: string }[]
    ).map((row) => row.user_id);
    if (users.length === 0) return;
    afterUserId = users[users.length - 1];
    const hours = (await queryRunner.query(
      `SELECT user_id, hour_start_ms, SUM(billed_seconds) AS billed, SUM(charge) AS charge FROM cloud_billing_usage
       WHERE user_id IN (${users.map(() => '?').join(', ')}) GROUP BY user_id, hour_start_ms`,
      users,
    )) as { user_id: string; hour_start_ms: string | number; billed: string | number; charge: string | number }[];
    const days = new Map<string, [string, string, number, number]>();
    for (const hour of hours) {
      const day = dayKey(new Date(Number(hour.hour_start_ms)), timeZone);
      const key = `${hour.user_id}|${day}`;
      const row = days.get(key) ?? [hour.user_id, day, 0, 0];
      row[2] += Number(hour.billed);
      row[3] += Number(hour.charge);
      days.set(key, row);
    }
    const rows = [...days.values()];
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      const chunk = rows.slice(i, i + INSERT_ROWS);
      await queryRunner.query(
        `INSERT INTO cloud_billing_daily_usage (user_id, day_key, billed_seconds, charge) VALUES ${chunk
          .map(() => '(?, ?, ?, ?)')
          .join(', ')}`,
        chunk.flat(),
      );
    }
  }
}
