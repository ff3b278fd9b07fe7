import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const SETTINGS = 'cloud_billing_settings';
const COLUMN = 'creation_credit_hours';

/**
 * Credit needed to create (issue 12): creating an instance needs a balance that covers this many hours of the new
 * plan and of the user's other live instances. 1 on existing installations too, as the issue asks; an admin who
 * wants the old "not below zero" rule sets it to 0.
 */
export class CreationCredit1763740017000 implements MigrationInterface {
  name = 'CreationCredit1763740017000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(SETTINGS, new TableColumn({ name: COLUMN, type: 'int', default: 1 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(SETTINGS, COLUMN);
  }
}
