import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Users' monthly budgets (see BudgetEntity); alerts and stops are deduplicated by the outbox's unique key. */
export class Budgets1763740016000 implements MigrationInterface {
  name = 'Budgets1763740016000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_budgets',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'amount', type: 'bigint' },
          { name: 'currency_code', type: 'varchar', length: '3' },
          { name: 'currency_amount', type: 'varchar', length: '32' },
          { name: 'alert_levels', type: 'varchar', length: '64' },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'created_at_ms', type: 'bigint' },
          { name: 'updated_at_ms', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_budgets', true, true, true);
  }
}
