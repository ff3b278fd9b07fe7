import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { dayKey } from '../src/billing/rating';

const USAGE = 'cloud_billing_usage';
const LEDGER = 'cloud_billing_ledger_entries';

/**
 * Billing at the edges (issue 8):
 * - usage rows are cut where a calendar day or month of the billing zone starts inside an hour
 *   (`period_start_ms`, `day_key`), and re-rated hours keep their old rows, marked superseded, under a
 *   new revision, so the unique key now includes both;
 * - a ledger entry the engine writes names the hour it is for (and the instance, for an adjustment);
 * - how far back host events may reach (`late_event_window_hours`);
 * - accounts whose settlement failed, so a run can skip them and the audit report them.
 */
export class ExactEdges1763740008000 implements MigrationInterface {
  name = 'ExactEdges1763740008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(USAGE, [
      new TableColumn({ name: 'period_start_ms', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'day_key', type: 'varchar', length: '10', isNullable: true }),
      new TableColumn({ name: 'revision', type: 'int', default: 0 }),
      new TableColumn({ name: 'superseded', type: 'boolean', default: false }),
    ]);
    // Rows settled before this migration cover their whole hour, filed under the day it started in.
    await queryRunner.query(`UPDATE ${USAGE} SET period_start_ms = hour_start_ms`);
    await backfillUsageDays(queryRunner);
    await queryRunner.dropIndex(USAGE, 'UQ_cloud_billing_usage_once');
    await queryRunner.createIndex(
      USAGE,
      new TableIndex({
        name: 'UQ_cloud_billing_usage_once',
        columnNames: ['instance_id', 'hour_start_ms', 'period_start_ms', 'plan_id', 'revision'],
        isUnique: true,
      }),
    );

    await queryRunner.addColumns(LEDGER, [
      new TableColumn({ name: 'hour_start_ms', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'instance_id', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      LEDGER,
      new TableIndex({ name: 'IDX_cloud_billing_ledger_user_hour', columnNames: ['user_id', 'hour_start_ms'] }),
    );
    await backfillChargeHours(queryRunner);

    await queryRunner.addColumn(
      'cloud_billing_settings',
      new TableColumn({ name: 'late_event_window_hours', type: 'int', default: 72 }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_settlement_failures',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'hour_start_ms', type: 'bigint' },
          { name: 'error', type: 'varchar', length: '500' },
          { name: 'attempts', type: 'int' },
          { name: 'first_failed_at_ms', type: 'bigint' },
          { name: 'last_failed_at_ms', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_settlement_failures', true);
    await queryRunner.dropColumn('cloud_billing_settings', 'late_event_window_hours');
    await queryRunner.dropIndex(LEDGER, 'IDX_cloud_billing_ledger_user_hour');
    await queryRunner.dropColumns(LEDGER, ['hour_start_ms', 'instance_id']);
    // Superseded rows would break the old unique key: only the current revision goes back.
    await queryRunner.query(`DELETE FROM ${USAGE} WHERE superseded <> 0`);
    await queryRunner.dropIndex(USAGE, 'UQ_cloud_billing_usage_once');
    await queryRunner.createIndex(
      USAGE,
      new TableIndex({
        name: 'UQ_cloud_billing_usage_once',
        columnNames: ['instance_id', 'hour_start_ms', 'plan_id'],
        isUnique: true,
      }),
    );
    await queryRunner.dropColumns(USAGE, ['period_start_ms', 'day_key', 'revision', 'superseded']);
  }
}

/** Rows per statement while backfilling. */
const BATCH = 500;

/** The day each settled hour was filed under in the daily rollup: the billing zone's day of its start. */
async function backfillUsageDays(queryRunner: QueryRunner): Promise<void> {
  const [settings] = (await queryRunner.query('SELECT time_zone FROM cloud_billing_settings WHERE id = 1')) as {
    time_zone: string;
  }[];
  const timeZone = settings?.time_zone ?? 'UTC';
  for (let after = -1; ;) {
    const hours = (
      (await queryRunner.query(
        `SELECT DISTINCT hour_start_ms AS hour FROM ${USAGE} WHERE hour_start_ms > ? ORDER BY hour_start_ms LIMIT ?`,
        [after, BATCH],
      )) as { hour: string | number }[]
    ).map((row) => Number(row.hour));
    if (hours.length === 0) return;
    after = hours[hours.length - 1];
    const cases = hours.map(() => 'WHEN ? THEN ?').join(' ');
    await queryRunner.query(
      `UPDATE ${USAGE} SET day_key = CASE hour_start_ms ${cases} END WHERE hour_start_ms IN (${hours.map(() => '?').join(', ')})`,
      [...hours.flatMap((hour) => [hour, dayKey(new Date(hour), timeZone)]), ...hours],
    );
  }
}

/** The hour each engine charge was for, read from its key (`charge:<user>:<ISO hour>`), so the audit can check it. */
async function backfillChargeHours(queryRunner: QueryRunner): Promise<void> {
  for (;;) {
    const entries = (await queryRunner.query(
      `SELECT id, idempotency_key AS k FROM ${LEDGER} WHERE kind = 'charge' AND hour_start_ms IS NULL ORDER BY id LIMIT ?`,
      [BATCH],
    )) as { id: string | number; k: string }[];
    const dated = entries
      .map((entry) => ({ id: entry.id, hour: Date.parse(entry.k.slice(-24)) }))
      .filter((entry) => Number.isFinite(entry.hour));
    if (dated.length === 0) return;
    const cases = dated.map(() => 'WHEN ? THEN ?').join(' ');
    await queryRunner.query(
      `UPDATE ${LEDGER} SET hour_start_ms = CASE id ${cases} END WHERE id IN (${dated.map(() => '?').join(', ')})`,
      [...dated.flatMap((entry) => [entry.id, entry.hour]), ...dated.map((entry) => entry.id)],
    );
    if (entries.length < BATCH) return;
  }
}
