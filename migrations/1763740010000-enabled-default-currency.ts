import { MigrationInterface, QueryRunner, TableCheck } from 'typeorm';
import { isMysql } from '../src/common/database';

const CURRENCIES = 'cloud_billing_currencies';
const CHECK = new TableCheck({
  name: 'CHK_cloud_billing_currencies_default_enabled',
  expression: 'default_marker IS NULL OR (default_marker = 1 AND enabled = 1)',
});

/**
 * The default currency must be enabled (issue 9): the unique `default_marker` already allows one default at
 * most, and this CHECK makes the database refuse a disabled one. Both SQLite and MariaDB (10.2+) enforce it.
 * Installations that lost their default, or disabled it, in the race this issue fixes are repaired first.
 */
export class EnabledDefaultCurrency1763740010000 implements MigrationInterface {
  name = 'EnabledDefaultCurrency1763740010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await repairDefault(queryRunner);
    if (isMysql(queryRunner.connection)) {
      // TypeORM's MySQL driver refuses createCheckConstraint, though MariaDB and MySQL 8.0.16+ enforce it.
      await queryRunner.query(`ALTER TABLE ${CURRENCIES} ADD CONSTRAINT ${CHECK.name} CHECK (${CHECK.expression})`);
    } else {
      await queryRunner.createCheckConstraint(CURRENCIES, CHECK);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (isMysql(queryRunner.connection)) {
      await queryRunner.query(`ALTER TABLE ${CURRENCIES} DROP CONSTRAINT ${CHECK.name}`);
    } else {
      await queryRunner.dropCheckConstraint(CURRENCIES, CHECK.name as string);
    }
  }
}

/**
 * A disabled default is enabled again, so users keep seeing the currency they saw; with no default at all,
 * the first enabled currency by code becomes it (or, if none is enabled, the first one, enabled).
 */
async function repairDefault(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`UPDATE ${CURRENCIES} SET enabled = 1 WHERE default_marker = 1 AND enabled <> 1`);
  const [marked] = await queryRunner.query(`SELECT code FROM ${CURRENCIES} WHERE default_marker = 1`);
  if (marked) return;
  const [candidate] = await queryRunner.query(
    `SELECT code FROM ${CURRENCIES} ORDER BY CASE WHEN enabled = 1 THEN 0 ELSE 1 END, code LIMIT 1`,
  );
  if (!candidate) return;
  await queryRunner.query(`UPDATE ${CURRENCIES} SET default_marker = 1, enabled = 1 WHERE code = ?`, [candidate.code]);
}
