import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { bigAutoIncrementId, exactText } from './migration-helpers';

const USAGE = 'cloud_billing_metered_usage';

/**
 * Issue 11, the host's side of metered counters: each usage report the host sent, once (its own id under a unique
 * index), with the quantity it adds scaled by 10^6 (a cumulative reading's difference from the previous one), the
 * hour it belongs to, and the columns settlement fills when it bills it. A counter is never deleted (it is retired),
 * so the foreign key to it only keeps a report from naming a counter that never was.
 */
export class MeteredUsage1763740012000 implements MigrationInterface {
  name = 'MeteredUsage1763740012000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: USAGE,
        columns: [
          bigAutoIncrementId(queryRunner),
          { name: 'report_id', type: 'varchar', length: '160', ...exactText(queryRunner) },
          { name: 'instance_id', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'counter_id', type: 'int' },
          { name: 'at_ms', type: 'bigint' },
          { name: 'hour_start_ms', type: 'bigint' },
          { name: 'quantity', type: 'bigint' },
          { name: 'reading', type: 'bigint', isNullable: true },
          { name: 'received_at_ms', type: 'bigint' },
          { name: 'billed_at_ms', type: 'bigint', isNullable: true },
          { name: 'charge', type: 'bigint', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'UQ_cloud_billing_metered_usage_report', columnNames: ['report_id'], isUnique: true }),
          new TableIndex({
            name: 'IDX_cloud_billing_metered_usage_counter_at',
            columnNames: ['instance_id', 'counter_id', 'at_ms'],
          }),
          new TableIndex({ name: 'IDX_cloud_billing_metered_usage_hour', columnNames: ['hour_start_ms'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: `FK_${USAGE}_counter`,
            columnNames: ['counter_id'],
            referencedTableName: 'cloud_billing_metered_counters',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(USAGE, true, true, true);
  }
}
