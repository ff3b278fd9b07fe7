import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { bigAutoIncrementId, exactText } from './migration-helpers';

export class AccountsAndLedger1763740002000 implements MigrationInterface {
  name = 'AccountsAndLedger1763740002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_accounts',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'balance', type: 'bigint', default: 0 },
          { name: 'billing_suspended_at', type: 'datetime', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'updated_at', type: 'datetime' },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_ledger_entries',
        columns: [
          bigAutoIncrementId(queryRunner),
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'amount', type: 'bigint' },
          { name: 'balance_after', type: 'bigint' },
          {
            name: 'idempotency_key',
            // Room for "<kind>:" before a 128-character reference.
            type: 'varchar',
            length: '160',
            // Payment ids are case-sensitive; MySQL's default collation would make "ABC" and "abc" one key.
            ...exactText(queryRunner),
          },
          { name: 'currency_code', type: 'varchar', length: '3', isNullable: true },
          { name: 'currency_amount', type: 'varchar', length: '32', isNullable: true },
          { name: 'value_per_credit_nanos', type: 'bigint', isNullable: true },
          { name: 'note', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '64', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
    await queryRunner.createIndex(
      'cloud_billing_ledger_entries',
      new TableIndex({
        name: 'UQ_cloud_billing_ledger_entries_idempotency_key',
        columnNames: ['idempotency_key'],
        isUnique: true,
      }),
    );
    // A user's ledger is read newest first by id (`id < before`): this index serves it without a sort.
    await queryRunner.createIndex(
      'cloud_billing_ledger_entries',
      new TableIndex({ name: 'IDX_cloud_billing_ledger_entries_user_id', columnNames: ['user_id', 'id'] }),
    );
    // Entries are immutable and the balance is their sum, so an account with entries cannot be deleted.
    await queryRunner.createForeignKey(
      'cloud_billing_ledger_entries',
      new TableForeignKey({
        name: 'FK_cloud_billing_ledger_entries_account',
        columnNames: ['user_id'],
        referencedTableName: 'cloud_billing_accounts',
        referencedColumnNames: ['user_id'],
        onDelete: 'RESTRICT',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_ledger_entries', true, true, true);
    await queryRunner.dropTable('cloud_billing_accounts', true, true, true);
  }
}
