import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

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
    // Rows settled before this migration cover their whole hour.
    await queryRunner.query(`UPDATE ${USAGE} SET period_start_ms = hour_start_ms`);
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
