import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { isMysql } from './database';

/** Rows per statement: well under both engines' limits on bound parameters for the widest table. */
const ROWS_PER_STATEMENT = 1000;

/**
 * A multi-row INSERT built straight from the entity's column metadata, for settlement's hot path
 * where TypeORM's query builder spends more time assembling a 1,000-row insert than the database
 * spends running it. With `upsert`, rows whose key already exists get those columns overwritten
 * (ON DUPLICATE KEY UPDATE on MySQL, ON CONFLICT … DO UPDATE on SQLite).
 */
export async function bulkInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Partial<T>[],
  upsert?: { key: (keyof T & string)[]; update: (keyof T & string)[] },
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns.filter((column) => !column.isGenerated);
  const escape = (name: string) => manager.connection.driver.escape(name);
  const columnName = (property: string) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.tableName} has no column for ${property}`);
    return escape(column.databaseName);
  };
  const mysql = isMysql(manager);
  let conflict = '';
  if (upsert) {
    const sets = upsert.update.map(
      (p) => `${columnName(p)} = ${mysql ? `VALUES(${columnName(p)})` : `excluded.${columnName(p)}`}`,
    );
    conflict = mysql
      ? ` ON DUPLICATE KEY UPDATE ${sets.join(', ')}`
      : ` ON CONFLICT (${upsert.key.map(columnName).join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
  }
  const head = `INSERT INTO ${escape(metadata.tableName)} (${columns.map((c) => escape(c.databaseName)).join(', ')}) VALUES `;
  const placeholders = `(${columns.map(() => '?').join(', ')})`;

  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const values = chunk.flatMap((row) =>
      columns.map((column) => {
        const value = column.getEntityValue(row);
        if (value === undefined) return null;
        if (typeof value === 'boolean') return value ? 1 : 0;
        return value instanceof Date ? manager.connection.driver.preparePersistentValue(value, column) : value;
      }),
    );
    await manager.query(`${head}${chunk.map(() => placeholders).join(', ')}${conflict}`, values);
  }
}
