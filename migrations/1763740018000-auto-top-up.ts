import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigAutoIncrementId, exactText } from './migration-helpers';

const bigint = (name: string, isNullable = false) => ({ name, type: 'bigint', isNullable });

/** Auto top-up: each user's opt-in rule and every attempt it made (issue 12). */
export class AutoTopUp1763740018000 implements MigrationInterface {
  name = 'AutoTopUp1763740018000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_auto_top_up_rules',
        columns: [
          // Compared as the accounts table compares them: a rule belongs to the account of the same id.
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'currency_code', type: 'varchar', length: '3' },
          bigint('threshold'),
          bigint('amount', true),
          bigint('target', true),
          bigint('monthly_limit'),
          { ...bigint('attempt_seq'), default: 0 },
          bigint('updated_at_ms'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_auto_top_up_attempts',
        columns: [
          bigAutoIncrementId(queryRunner),
          // Keys embed user ids; exact, as the outbox's dedupe keys are (this key is one of them).
          { name: 'attempt_key', type: 'varchar', length: '160', ...exactText(queryRunner) },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'month', type: 'varchar', length: '7' },
          { name: 'status', type: 'varchar', length: '16' },
          bigint('requested'),
          bigint('credited'),
          { name: 'currency_code', type: 'varchar', length: '3' },
          { name: 'currency_amount', type: 'varchar', length: '40' },
          bigint('value_per_credit_nanos'),
          bigint('balance_at_decision'),
          { name: 'calls', type: 'int', default: 0 },
          { name: 'failures', type: 'int', default: 0 },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'payment_reference', type: 'varchar', length: '160', isNullable: true },
          bigint('created_at_ms'),
          bigint('completed_at_ms', true),
        ],
        indices: [
          // One attempt per key: two replicas deciding the same attempt number cannot both write it.
          { name: 'UQ_cloud_billing_auto_top_up_attempts_key', columnNames: ['attempt_key'], isUnique: true },
          // "What did this user's attempts ask for this month, and is one in flight?"
          { name: 'IDX_cloud_billing_auto_top_up_attempts_user_month', columnNames: ['user_id', 'month'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_auto_top_up_attempts', true, true, true);
    await queryRunner.dropTable('cloud_billing_auto_top_up_rules', true, true, true);
  }
}
