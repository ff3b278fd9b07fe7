import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const ACCOUNTS = 'cloud_billing_accounts';
const INDEX = 'IDX_cloud_billing_accounts_evaluation_due';

/**
 * Thresholds from durable state (issue 9): every balance change marks its account as due for threshold
 * evaluation in the same transaction (`evaluation_due_at_ms`, when the oldest unevaluated change was made), and
 * evaluation clears the mark under the account's row lock. The index serves the runs' walk over the due
 * accounts, oldest first, and the audit's count of marks left too long.
 */
export class ThresholdEvaluationDue1763740009000 implements MigrationInterface {
  name = 'ThresholdEvaluationDue1763740009000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      ACCOUNTS,
      new TableColumn({ name: 'evaluation_due_at_ms', type: 'bigint', isNullable: true }),
    );
    await queryRunner.createIndex(
      ACCOUNTS,
      new TableIndex({ name: INDEX, columnNames: ['evaluation_due_at_ms', 'user_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(ACCOUNTS, INDEX);
    await queryRunner.dropColumn(ACCOUNTS, 'evaluation_due_at_ms');
  }
}
