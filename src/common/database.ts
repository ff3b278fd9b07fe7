import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';

export function isMysql(source: DataSource | EntityManager): boolean {
  const type = source instanceof DataSource ? source.options.type : source.connection.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/**
 * SELECT … FOR UPDATE on MySQL/MariaDB. SQLite has no row locks: it allows one
 * writer at a time, so a write transaction there is already exclusive.
 */
export function forUpdate<T extends object>(query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return isMysql(query.connection) ? query.setLock('pessimistic_write') : query;
}

/** True when the error is a unique-index violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
