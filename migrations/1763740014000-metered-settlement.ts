import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigAutoIncrementId } from './migration-helpers';

const RULE_USAGE = 'cloud_billing_rule_usage';
const METERED_MONTHLY = 'cloud_billing_metered_monthly';
const METERED_USAGE = 'cloud_billing_metered_usage';
const DAILY = 'cloud_billing_daily_usage';
const RULES = 'cloud_billing_resource_rules';

/**
 * Issue 11, settlement of resource rules and metered counters:
 * - one rule usage row per instance, rule and calendar piece of an hour (a unique key per revision, as usage rows
 *   have), with the terms it was charged at, so a re-rating or an audit sees the price that was in force;
 * - the month's running totals per instance and rule or counter, which postpaid rules and price ranges are charged
 *   against, and which reports read;
 * - on the host's usage reports: whether the report arrived after its hour was settled (late: billed as an
 *   adjustment), the billing month and day it was charged in, and an index that finds the unbilled ones;
 * - the daily rollup's share of rules and counters, so the chart can stack them by kind;
 * - a rule's optional cap on what it charges an instance in a month.
 */
export class MeteredSettlement1763740014000 implements MigrationInterface {
  name = 'MeteredSettlement1763740014000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: RULE_USAGE,
        columns: [
          bigAutoIncrementId(queryRunner),
          { name: 'instance_id', type: 'varchar', length: '64' },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'rule_id', type: 'int' },
          { name: 'plan_id', type: 'int' },
          { name: 'hour_start_ms', type: 'bigint' },
          { name: 'period_start_ms', type: 'bigint' },
          { name: 'month_key', type: 'varchar', length: '7' },
          { name: 'day_key', type: 'varchar', length: '10' },
          { name: 'quantity_seconds', type: 'bigint' },
          { name: 'charged_quantity', type: 'bigint', isNullable: true },
          { name: 'prepaid_period_start_ms', type: 'bigint', isNullable: true },
          { name: 'paid_quantity', type: 'bigint', isNullable: true },
          { name: 'price', type: 'bigint' },
          { name: 'period_seconds', type: 'int' },
          { name: 'charge', type: 'bigint' },
          { name: 'revision', type: 'int', default: 0 },
          { name: 'superseded', type: 'boolean', default: false },
        ],
        indices: [
          new TableIndex({
            name: 'UQ_cloud_billing_rule_usage_piece',
            columnNames: ['instance_id', 'rule_id', 'period_start_ms', 'revision'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_cloud_billing_rule_usage_hour', columnNames: ['instance_id', 'hour_start_ms'] }),
          new TableIndex({ name: 'IDX_cloud_billing_rule_usage_user', columnNames: ['user_id', 'hour_start_ms'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: METERED_MONTHLY,
        columns: [
          { name: 'instance_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'item', type: 'varchar', length: '8', isPrimary: true },
          { name: 'item_id', type: 'int', isPrimary: true },
          { name: 'month_key', type: 'varchar', length: '7', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'quantity', type: 'bigint' },
          { name: 'charge', type: 'bigint' },
        ],
        indices: [
          new TableIndex({ name: 'IDX_cloud_billing_metered_monthly_user', columnNames: ['user_id', 'month_key'] }),
        ],
      }),
    );
    await queryRunner.addColumns(METERED_USAGE, [
      new TableColumn({ name: 'late', type: 'boolean', default: false }),
      new TableColumn({ name: 'month_key', type: 'varchar', length: '7', isNullable: true }),
      new TableColumn({ name: 'day_key', type: 'varchar', length: '10', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      METERED_USAGE,
      new TableIndex({
        name: 'IDX_cloud_billing_metered_usage_unbilled',
        columnNames: ['billed_at_ms', 'instance_id', 'hour_start_ms'],
      }),
    );
    await queryRunner.addColumn(RULES, new TableColumn({ name: 'monthly_cap', type: 'bigint', isNullable: true }));
    await queryRunner.addColumns(DAILY, [
      new TableColumn({ name: 'rule_charge', type: 'bigint', default: 0 }),
      new TableColumn({ name: 'counter_charge', type: 'bigint', default: 0 }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(RULES, 'monthly_cap');
    await queryRunner.dropColumn(DAILY, 'counter_charge');
    await queryRunner.dropColumn(DAILY, 'rule_charge');
    await queryRunner.dropIndex(METERED_USAGE, 'IDX_cloud_billing_metered_usage_unbilled');
    for (const column of ['day_key', 'month_key', 'late']) await queryRunner.dropColumn(METERED_USAGE, column);
    await queryRunner.dropTable(METERED_MONTHLY, true);
    await queryRunner.dropTable(RULE_USAGE, true);
  }
}
