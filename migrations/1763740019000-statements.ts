import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { insertRow } from './migration-helpers';

const NUMBERS = 'cloud_billing_statement_numbers';
const STATEMENTS = 'cloud_billing_statements';
const LINES = 'cloud_billing_statement_lines';
const ENTRIES = 'cloud_billing_statement_entries';

/**
 * Issue 12, monthly statements:
 * - one counter row that hands out statement numbers: locked and moved in the transaction that inserts the statement,
 *   so a rolled-back close gives its number back and numbers have no gaps;
 * - the statements, one per user and month (a unique key, so two replicas closing at once write one), with the
 *   currency they were closed in (its rate and layout copied, so the statement reads the same after a rate change);
 * - their lines, a snapshot written once at closing;
 * - which ledger entry is in which statement, keyed by the entry: an entry is in at most one statement.
 */
export class Statements1763740019000 implements MigrationInterface {
  name = 'Statements1763740019000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: NUMBERS,
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'last_number', type: 'bigint' },
        ],
      }),
    );
    await insertRow(queryRunner, NUMBERS, { id: 1, last_number: 0 });
    await queryRunner.createTable(
      new Table({
        name: STATEMENTS,
        columns: [
          { name: 'number', type: 'bigint', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'month', type: 'varchar', length: '7' },
          { name: 'period_start_ms', type: 'bigint' },
          { name: 'period_end_ms', type: 'bigint' },
          { name: 'time_zone', type: 'varchar', length: '64' },
          { name: 'opening_balance', type: 'bigint' },
          { name: 'closing_balance', type: 'bigint' },
          { name: 'currency_code', type: 'varchar', length: '3' },
          { name: 'value_per_credit_nanos', type: 'bigint' },
          { name: 'currency_prefix', type: 'varchar', length: '8' },
          { name: 'currency_suffix', type: 'varchar', length: '8' },
          { name: 'currency_decimals', type: 'int' },
          { name: 'closed_at_ms', type: 'bigint' },
        ],
        indices: [
          new TableIndex({
            name: 'UQ_cloud_billing_statements_user_month',
            columnNames: ['user_id', 'month'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_cloud_billing_statements_month', columnNames: ['month', 'number'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: LINES,
        columns: [
          { name: 'statement_number', type: 'bigint', isPrimary: true },
          { name: 'position', type: 'int', isPrimary: true },
          { name: 'section', type: 'varchar', length: '16' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'description', type: 'varchar', length: '255' },
          { name: 'detail', type: 'varchar', length: '255', isNullable: true },
          { name: 'instance_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'occurred_at_ms', type: 'bigint', isNullable: true },
          { name: 'amount', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: ENTRIES,
        columns: [
          { name: 'entry_id', type: 'bigint', isPrimary: true },
          { name: 'statement_number', type: 'bigint' },
        ],
        indices: [
          new TableIndex({ name: 'IDX_cloud_billing_statement_entries_statement', columnNames: ['statement_number'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(ENTRIES, true, true, true);
    await queryRunner.dropTable(LINES, true, true, true);
    await queryRunner.dropTable(STATEMENTS, true, true, true);
    await queryRunner.dropTable(NUMBERS, true, true, true);
  }
}
