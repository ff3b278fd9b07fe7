import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';
import { autoIncrementId as id, exactText } from './migration-helpers';

const RULES = 'cloud_billing_resource_rules';
const COUNTERS = 'cloud_billing_metered_counters';
const RANGES = 'cloud_billing_counter_ranges';
const COUNTER_PLANS = 'cloud_billing_counter_plans';

const name: TableColumnOptions = { name: 'name', type: 'varchar', length: '100' };
/** Never deleted (hours billed under them name them): retired, which frees the key for a new live row. */
const retirable: TableColumnOptions[] = [
  { name: 'created_at_ms', type: 'bigint' },
  { name: 'retired_at_ms', type: 'bigint', isNullable: true },
  { name: 'live_marker', type: 'int', isNullable: true },
];

/** A plan's rules go with it: the catalog deletes only a plan no instance ever used, so none was billed. */
const planForeignKey = (table: string) =>
  new TableForeignKey({
    name: `FK_${table}_plan`,
    columnNames: ['plan_id'],
    referencedTableName: 'cloud_billing_plans',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

const counterForeignKey = (table: string) =>
  new TableForeignKey({
    name: `FK_${table}_counter`,
    columnNames: ['counter_id'],
    referencedTableName: COUNTERS,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });

/**
 * Issue 11, the admin side: resource rules per plan (NoCloud) and metered counters with graduated price ranges
 * (Atomia). Prices are micro-credits and quantities are scaled by 10^6, all in BIGINTs, ranges in a child table,
 * so both engines keep them exact. A key is unique among live rows (`live_marker` 1; NULL once retired).
 */
export class Metering1763740011000 implements MigrationInterface {
  name = 'Metering1763740011000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const key = (column: string): TableColumnOptions => ({
      name: column,
      type: 'varchar',
      length: '64',
      ...exactText(queryRunner),
    });

    await queryRunner.createTable(
      new Table({
        name: RULES,
        columns: [
          id,
          { name: 'plan_id', type: 'int' },
          key('rule_key'),
          name,
          { name: 'unit', type: 'varchar', length: '32' },
          { name: 'price', type: 'bigint' },
          { name: 'period_seconds', type: 'int' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'quantity_source', type: 'varchar', length: '16' },
          { name: 'fixed_quantity', type: 'bigint', isNullable: true },
          { name: 'on_states', type: 'varchar', length: '64' },
          { name: 'except_states', type: 'boolean' },
          ...retirable,
        ],
        indices: [
          new TableIndex({
            name: 'UQ_cloud_billing_resource_rules_live_key',
            columnNames: ['plan_id', 'rule_key', 'live_marker'],
            isUnique: true,
          }),
        ],
        foreignKeys: [planForeignKey(RULES)],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: COUNTERS,
        columns: [
          id,
          key('counter_key'),
          name,
          { name: 'unit_name', type: 'varchar', length: '32' },
          { name: 'measurement_unit', type: 'bigint' },
          { name: 'all_plans', type: 'boolean' },
          ...retirable,
        ],
        indices: [
          new TableIndex({
            name: 'UQ_cloud_billing_metered_counters_live_key',
            columnNames: ['counter_key', 'live_marker'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: RANGES,
        columns: [
          { name: 'counter_id', type: 'int', isPrimary: true },
          { name: 'position', type: 'int', isPrimary: true },
          { name: 'range_from', type: 'bigint' },
          { name: 'price', type: 'bigint' },
        ],
        foreignKeys: [counterForeignKey(RANGES)],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: COUNTER_PLANS,
        columns: [
          { name: 'counter_id', type: 'int', isPrimary: true },
          { name: 'plan_id', type: 'int', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_cloud_billing_counter_plans_plan', columnNames: ['plan_id'] })],
        foreignKeys: [counterForeignKey(COUNTER_PLANS), planForeignKey(COUNTER_PLANS)],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(COUNTER_PLANS, true, true, true);
    await queryRunner.dropTable(RANGES, true, true, true);
    await queryRunner.dropTable(COUNTERS, true, true, true);
    await queryRunner.dropTable(RULES, true, true, true);
  }
}
