import type { QueryRunner, TableColumnOptions } from 'typeorm';
import { isMysql } from '../src/common/database';

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

/** A BIGINT auto-increment primary key; SQLite only auto-increments INTEGER PRIMARY KEY (64-bit there anyway). */
export function bigAutoIncrementId(queryRunner: QueryRunner, name = 'id'): TableColumnOptions {
  return {
    name,
    type: isMysql(queryRunner.connection) ? 'bigint' : 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  };
}

/** An INT auto-increment primary key: SQLite auto-increments only a column declared exactly INTEGER PRIMARY KEY, and MySQL reads "integer" as INT. */
export const autoIncrementId: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};

/** Case- and accent-sensitive text on MySQL, as SQLite compares it, for keys that must match exactly. */
export function exactText(queryRunner: QueryRunner): Partial<TableColumnOptions> {
  return isMysql(queryRunner.connection) ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
}
