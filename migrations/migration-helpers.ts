import type { QueryRunner } from 'typeorm';

/** Inserts one row with `?` placeholders, which both mysql2 and better-sqlite3 understand. */
export async function insertRow(queryRunner: QueryRunner, table: string, row: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(row);
  const values = Object.values(row).map((value) => (typeof value === 'boolean' ? Number(value) : value));
  const quote = (name: string) => queryRunner.connection.driver.escape(name);
  await queryRunner.query(
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    values,
  );
}
