import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigAutoIncrementId, exactText } from './migration-helpers';

const GRANTS = 'cloud_billing_credit_grants';
const DRAWS = 'cloud_billing_grant_draws';
const LEDGER = 'cloud_billing_ledger_entries';
const PROMO_CODES = 'cloud_billing_promo_codes';
const REDEMPTIONS = 'cloud_billing_promo_redemptions';

/**
 * Issue 12, credit grants and promo codes:
 * - credit grants (paid or promotional, a priority, maybe an expiry) and the draws each debit made on them;
 * - on ledger entries, the top-up a refund or chargeback reverses;
 * - promo codes with their limits and a counter of redemptions, locked by each redemption, and one row per
 *   redemption, unique per code, user and sequence, and per user and request reference.
 */
export class CreditGrants1763740015000 implements MigrationInterface {
  name = 'CreditGrants1763740015000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: GRANTS,
        columns: [
          bigAutoIncrementId(queryRunner),
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'category', type: 'varchar', length: '16' },
          { name: 'amount', type: 'bigint' },
          { name: 'remaining', type: 'bigint' },
          { name: 'priority', type: 'int' },
          { name: 'expires_at_ms', type: 'bigint', isNullable: true },
          { name: 'idempotency_key', type: 'varchar', length: '160' },
          { name: 'closed_at_ms', type: 'bigint', isNullable: true },
          { name: 'created_at_ms', type: 'bigint' },
        ],
        indices: [
          new TableIndex({
            name: 'UQ_cloud_billing_credit_grants_key',
            columnNames: ['idempotency_key'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_cloud_billing_credit_grants_user', columnNames: ['user_id', 'closed_at_ms'] }),
          new TableIndex({
            name: 'IDX_cloud_billing_credit_grants_expiry',
            columnNames: ['closed_at_ms', 'expires_at_ms'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: DRAWS,
        columns: [
          { name: 'entry_key', type: 'varchar', length: '160', isPrimary: true },
          { name: 'grant_id', type: 'bigint', isPrimary: true },
          { name: 'amount', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'IDX_cloud_billing_grant_draws_grant', columnNames: ['grant_id'] })],
      }),
    );
    await queryRunner.addColumn(
      LEDGER,
      new TableColumn({ name: 'reverses_entry_id', type: 'bigint', isNullable: true }),
    );
    await queryRunner.createIndex(
      LEDGER,
      new TableIndex({ name: 'IDX_cloud_billing_ledger_reverses', columnNames: ['reverses_entry_id'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: PROMO_CODES,
        columns: [
          { name: 'code', type: 'varchar', length: '64', isPrimary: true, ...exactText(queryRunner) },
          { name: 'amount', type: 'bigint' },
          { name: 'priority', type: 'int' },
          { name: 'code_expires_at_ms', type: 'bigint', isNullable: true },
          { name: 'credit_expires_at_ms', type: 'bigint', isNullable: true },
          { name: 'credit_valid_days', type: 'int', isNullable: true },
          { name: 'max_redemptions', type: 'int', isNullable: true },
          { name: 'max_per_user', type: 'int' },
          { name: 'new_accounts_only', type: 'boolean' },
          { name: 'redemptions', type: 'int', default: 0 },
          { name: 'created_by', type: 'varchar', length: '64' },
          { name: 'created_at_ms', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: REDEMPTIONS,
        columns: [
          bigAutoIncrementId(queryRunner),
          { name: 'code', type: 'varchar', length: '64', ...exactText(queryRunner) },
          { name: 'user_id', type: 'varchar', length: '64' },
          { name: 'sequence', type: 'int' },
          { name: 'reference', type: 'varchar', length: '100' },
          { name: 'grant_key', type: 'varchar', length: '160' },
          { name: 'redeemed_at_ms', type: 'bigint' },
        ],
        indices: [
          new TableIndex({
            name: 'UQ_cloud_billing_promo_redemptions_user_seq',
            columnNames: ['code', 'user_id', 'sequence'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'UQ_cloud_billing_promo_redemptions_reference',
            columnNames: ['user_id', 'reference'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(REDEMPTIONS);
    await queryRunner.dropTable(PROMO_CODES);
    await queryRunner.dropIndex(LEDGER, 'IDX_cloud_billing_ledger_reverses');
    await queryRunner.dropColumn(LEDGER, 'reverses_entry_id');
    await queryRunner.dropTable(DRAWS);
    await queryRunner.dropTable(GRANTS);
  }
}
