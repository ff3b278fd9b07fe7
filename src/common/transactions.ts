import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isMysql } from './database';
import { SerialQueue } from './serial-queue';

const DEADLOCK_ATTEMPTS = 3;

/**
 * TypeORM runs every SQLite transaction on the data source's one connection, so two interleaved
 * ones would nest as savepoints and see each other's half-done work. They take turns instead,
 * one queue per data source (SQLite is one process's file anyway; MySQL replicas use row locks).
 */
const sqliteTurns = new WeakMap<DataSource, SerialQueue>();

function isDeadlock(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e?.driverError?.code ?? e?.code) === 'ER_LOCK_DEADLOCK';
}

/**
 * The one way the plugin opens a transaction. On MySQL/MariaDB a deadlock victim is rolled back
 * whole by InnoDB and retried: every unit of work here only touches the database (host ports are
 * called outside transactions), so running it again is safe.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolation?: IsolationLevel,
): Promise<T> {
  if (!isMysql(dataSource)) {
    let queue = sqliteTurns.get(dataSource);
    if (!queue) sqliteTurns.set(dataSource, (queue = new SerialQueue()));
    return queue.run(() => dataSource.transaction(work));
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await (isolation ? dataSource.transaction(isolation, work) : dataSource.transaction(work));
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}
