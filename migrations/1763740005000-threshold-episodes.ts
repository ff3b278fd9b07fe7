import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const EPISODE_COLUMNS = ['low_notified_at_ms', 'negative_notified_at_ms', 'runway_notified_at_ms'];

/** When each warning of the current episode was sent; cleared when the balance recovers, so the next crossing warns again. */
export class ThresholdEpisodes1763740005000 implements MigrationInterface {
  name = 'ThresholdEpisodes1763740005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(
      'cloud_billing_accounts',
      EPISODE_COLUMNS.map((name) => new TableColumn({ name, type: 'bigint', isNullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('cloud_billing_accounts', EPISODE_COLUMNS);
  }
}
