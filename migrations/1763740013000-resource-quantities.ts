import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const SEGMENTS = 'cloud_billing_instance_segments';
const EVENTS = 'cloud_billing_instance_events';

/**
 * Issue 11, the quantities the host reports for an instance's resources (`type: "resources"` events): each segment
 * holds those in force while it lasts, and each event what it reported, so a repeat is told from a different report
 * at the same instant. JSON of resource key → quantity scaled by 10^6 (an integer decimal string); NULL is none.
 * At most 12 keys, each at most 64 characters with a quantity of at most 13 digits: 997 characters.
 */
export class ResourceQuantities1763740013000 implements MigrationInterface {
  name = 'ResourceQuantities1763740013000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of [SEGMENTS, EVENTS]) {
      await queryRunner.addColumn(table, quantitiesColumn());
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [EVENTS, SEGMENTS]) {
      await queryRunner.dropColumn(table, 'quantities');
    }
  }
}

const quantitiesColumn = () =>
  new TableColumn({ name: 'quantities', type: 'varchar', length: '1000', isNullable: true });
