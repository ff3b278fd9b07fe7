import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { insertRow } from './migration-helpers';

export class SettingsAndCurrencies1763740000000 implements MigrationInterface {
  name = 'SettingsAndCurrencies1763740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_settings',
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'low_balance_threshold', type: 'bigint' },
          { name: 'negative_balance_threshold', type: 'bigint' },
          { name: 'suspension_threshold', type: 'bigint' },
          { name: 'allow_create_on_negative_balance', type: 'boolean' },
          { name: 'auto_unsuspend', type: 'boolean' },
          { name: 'terminate_after_days_suspended', type: 'int' },
          { name: 'billing_granularity_seconds', type: 'int' },
          { name: 'time_zone', type: 'varchar', length: '64' },
          { name: 'runway_warning_hours', type: 'int' },
          { name: 'updated_at', type: 'datetime', default: 'CURRENT_TIMESTAMP' },
        ],
      }),
    );
    // Defaults a hosting admin can live with: warn at 10 credits and at 0, suspend below 0, bill every started hour.
    await insertRow(queryRunner, 'cloud_billing_settings', {
      id: 1,
      low_balance_threshold: 10_000_000,
      negative_balance_threshold: 0,
      suspension_threshold: 0,
      allow_create_on_negative_balance: false,
      auto_unsuspend: true,
      terminate_after_days_suspended: 0,
      billing_granularity_seconds: 3600,
      time_zone: 'UTC',
      runway_warning_hours: 24,
    });

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_currencies',
        columns: [
          { name: 'code', type: 'varchar', length: '3', isPrimary: true },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'value_per_credit_nanos', type: 'bigint' },
          { name: 'prefix', type: 'varchar', length: '8', default: "''" },
          { name: 'suffix', type: 'varchar', length: '8', default: "''" },
          { name: 'decimals', type: 'int' },
          { name: 'enabled', type: 'boolean' },
          { name: 'default_marker', type: 'int', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'cloud_billing_currencies',
      new TableIndex({ name: 'UQ_cloud_billing_currencies_default', columnNames: ['default_marker'], isUnique: true }),
    );
    // A fresh install needs exactly one default currency; 1 credit = 0.01 USD.
    await insertRow(queryRunner, 'cloud_billing_currencies', {
      code: 'USD',
      name: 'US Dollar',
      value_per_credit_nanos: 10_000_000,
      prefix: '$',
      suffix: '',
      decimals: 2,
      enabled: true,
      default_marker: 1,
    });

    await queryRunner.createTable(
      new Table({
        name: 'cloud_billing_user_preferences',
        columns: [
          { name: 'user_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'currency_code', type: 'varchar', length: '3', isNullable: true },
        ],
      }),
    );
    await queryRunner.createForeignKey(
      'cloud_billing_user_preferences',
      new TableForeignKey({
        name: 'FK_cloud_billing_user_preferences_currency',
        columnNames: ['currency_code'],
        referencedTableName: 'cloud_billing_currencies',
        referencedColumnNames: ['code'],
        onDelete: 'SET NULL',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cloud_billing_user_preferences', true, true, true);
    await queryRunner.dropTable('cloud_billing_currencies', true, true, true);
    await queryRunner.dropTable('cloud_billing_settings', true, true, true);
  }
}
