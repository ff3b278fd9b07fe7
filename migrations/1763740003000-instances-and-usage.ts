import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigAutoIncrementId } from './migration-helpers';

const bigint = (name: string, isNullable = false) => ({ name, type: 'bigint', isNullable });
const int = (name: string) => ({ name, type: 'int' });
const id = (name: string) => ({ name, type: 'varchar', length: '64' });

export class InstancesAndUsage1763740003000 implements MigrationInterface {
  name = 'InstancesAndUsage1763740003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_instances',
        columns: [
          { ...id('id'), isPrimary: true },
          id('user_id'),
          { name: 'name', type: 'varchar', length: '128' },
          int('plan_id'),
          { name: 'location_id', type: 'int', isNullable: true },
          { ...id('hypervisor_id'), isNullable: true },
          { name: 'state', type: 'varchar', length: '16' },
          bigint('created_at_ms'),
          bigint('terminated_at_ms', true),
          bigint('last_event_at_ms'),
          bigint('settled_until_ms'),
          bigint('billing_suspended_at_ms', true),
        ],
        indices: [
          { name: 'IDX_cloud_billing_instances_user', columnNames: ['user_id'] },
          // Settlement asks "whose next unsettled hour starts at H?", account by account.
          { name: 'IDX_cloud_billing_instances_settle', columnNames: ['settled_until_ms', 'user_id'] },
          { name: 'IDX_cloud_billing_instances_hypervisor', columnNames: ['hypervisor_id', 'state'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_instance_segments',
        columns: [
          bigAutoIncrementId(queryRunner),
          id('instance_id'),
          int('plan_id'),
          { name: 'state', type: 'varchar', length: '16' },
          bigint('started_at_ms'),
          bigint('ended_at_ms', true),
        ],
        indices: [{ name: 'IDX_cloud_billing_segments_instance', columnNames: ['instance_id', 'started_at_ms'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_instance_events',
        columns: [
          bigAutoIncrementId(queryRunner),
          id('instance_id'),
          { name: 'type', type: 'varchar', length: '16' },
          bigint('at_ms'),
          { name: 'plan_id', type: 'int', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'cloud_billing_instance_events',
      new TableIndex({
        name: 'UQ_cloud_billing_events_once',
        columnNames: ['instance_id', 'type', 'at_ms'],
        isUnique: true,
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_usage',
        columns: [
          bigAutoIncrementId(queryRunner),
          id('instance_id'),
          id('user_id'),
          int('plan_id'),
          bigint('hour_start_ms'),
          { name: 'month_key', type: 'varchar', length: '7' },
          int('running_seconds'),
          int('stopped_seconds'),
          int('suspended_seconds'),
          int('billed_seconds'),
          bigint('running_rate'),
          bigint('stopped_rate'),
          bigint('suspended_rate'),
          // A monthly-only plan's month, charged with the month's first hour (prorated on the first one).
          bigint('upfront_charge'),
          bigint('charge'),
          { name: 'capped', type: 'boolean' },
        ],
        indices: [{ name: 'IDX_cloud_billing_usage_user_hour', columnNames: ['user_id', 'hour_start_ms'] }],
      }),
    );
    // One usage row per instance, hour and plan: the database refuses a second charge for the same hour.
    await queryRunner.createIndex(
      'cloud_billing_usage',
      new TableIndex({
        name: 'UQ_cloud_billing_usage_once',
        columnNames: ['instance_id', 'hour_start_ms', 'plan_id'],
        isUnique: true,
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_monthly_usage',
        columns: [
          { ...id('instance_id'), isPrimary: true },
          { name: 'plan_id', type: 'int', isPrimary: true },
          { name: 'month_key', type: 'varchar', length: '7', isPrimary: true },
          id('user_id'),
          int('hours'),
          bigint('billed_seconds'),
          bigint('charge'),
        ],
        indices: [{ name: 'IDX_cloud_billing_monthly_usage_user', columnNames: ['user_id', 'month_key'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'cloud_billing_monthly_usage',
      'cloud_billing_usage',
      'cloud_billing_instance_events',
      'cloud_billing_instance_segments',
      'cloud_billing_instances',
    ]) {
      await queryRunner.dropTable(table, true, true, true);
    }
  }
}
