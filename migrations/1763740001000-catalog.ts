import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

// SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY; MySQL reads "integer" as int.
const id: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const name: TableColumnOptions = { name: 'name', type: 'varchar', length: '100' };
const slug: TableColumnOptions = { name: 'slug', type: 'varchar', length: '64' };
const description: TableColumnOptions = { name: 'description', type: 'text', isNullable: true };
const enabled: TableColumnOptions = { name: 'enabled', type: 'boolean' };
const sortOrder: TableColumnOptions = { name: 'sort_order', type: 'int' };
const price = (column: string): TableColumnOptions => ({ name: column, type: 'bigint', isNullable: true });

export class Catalog1763740001000 implements MigrationInterface {
  name = 'Catalog1763740001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_locations',
        columns: [
          id,
          name,
          slug,
          description,
          enabled,
          sortOrder,
          { name: 'last_hypervisor_id', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'UQ_cloud_billing_locations_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'IDX_cloud_billing_locations_order', columnNames: ['sort_order', 'id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_hypervisors',
        columns: [
          { name: 'hypervisor_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'location_id', type: 'int', isNullable: true },
          { name: 'position', type: 'int', default: 0 },
          { name: 'enabled', type: 'boolean', default: 1 },
        ],
        indices: [
          new TableIndex({ name: 'IDX_cloud_billing_hypervisors_location', columnNames: ['location_id', 'position'] }),
        ],
        foreignKeys: [
          // Deleting a location frees its hypervisors for another one; their maintenance flag stays.
          new TableForeignKey({
            name: 'FK_cloud_billing_hypervisors_location',
            columnNames: ['location_id'],
            referencedTableName: 'cloud_billing_locations',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_plan_groups',
        columns: [id, name, slug, description, enabled, sortOrder],
        indices: [
          new TableIndex({ name: 'UQ_cloud_billing_plan_groups_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'IDX_cloud_billing_plan_groups_order', columnNames: ['sort_order', 'id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_plans',
        columns: [
          id,
          { name: 'group_id', type: 'int' },
          name,
          slug,
          { name: 'vcpus', type: 'int' },
          { name: 'ram_mb', type: 'int' },
          { name: 'disk_gb', type: 'int' },
          { name: 'bandwidth_gb', type: 'int' },
          { name: 'gpus', type: 'int' },
          price('hourly_price'),
          price('monthly_price'),
          price('stopped_hourly_price'),
          price('suspended_hourly_price'),
          enabled,
          sortOrder,
        ],
        indices: [
          new TableIndex({ name: 'UQ_cloud_billing_plans_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'IDX_cloud_billing_plans_group', columnNames: ['group_id', 'sort_order', 'id'] }),
        ],
        foreignKeys: [
          // A group with plans cannot go: the service answers 409 first, this holds against races.
          new TableForeignKey({
            name: 'FK_cloud_billing_plans_group',
            columnNames: ['group_id'],
            referencedTableName: 'cloud_billing_plan_groups',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_plan_locations',
        columns: [
          { name: 'plan_id', type: 'int', isPrimary: true },
          { name: 'location_id', type: 'int', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'IDX_cloud_billing_plan_locations_location', columnNames: ['location_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_cloud_billing_plan_locations_plan',
            columnNames: ['plan_id'],
            referencedTableName: 'cloud_billing_plans',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
          new TableForeignKey({
            name: 'FK_cloud_billing_plan_locations_location',
            columnNames: ['location_id'],
            referencedTableName: 'cloud_billing_locations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_plan_locations', true, true, true);
    await queryRunner.dropTable('cloud_billing_plans', true, true, true);
    await queryRunner.dropTable('cloud_billing_plan_groups', true, true, true);
    await queryRunner.dropTable('cloud_billing_hypervisors', true, true, true);
    await queryRunner.dropTable('cloud_billing_locations', true, true, true);
  }
}
