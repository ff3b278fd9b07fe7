import { ServiceUnavailableException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isMysql } from './database';
import { SerialQueue } from './serial-queue';

/**
 * How many times a unit of work may run when InnoDB rolls it back for contention. A deadlock victim
 * is picked at once, so a burst of admins or replicas (28 make-defaults at the same moment) may need
 * several tries; a lock-wait timeout has already waited `innodb_lock_wait_timeout` (50 s by default),
 * so it gets one more try only, not minutes more.
 */
const ATTEMPTS_BY_ERROR: Record<string, number> = { ER_LOCK_DEADLOCK: 8, ER_LOCK_WAIT_TIMEOUT: 2 };
/** Retries wait a random time up to this, doubling from the first, so the victims do not collide again. */
const FIRST_BACKOFF_MS = 10;
const MAX_BACKOFF_MS = 250;

/**
 * TypeORM runs every SQLite transaction on the data source's one connection, so two interleaved
 * ones would nest as savepoints and see each other's half-done work. They take turns instead,
 * one queue per data source (SQLite is one process's file anyway; MySQL replicas use row locks).
 */
const sqliteTurns = new WeakMap<DataSource, SerialQueue>();

function contentionCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code !== undefined && code in ATTEMPTS_BY_ERROR ? code : undefined;
}

const backoff = (attempt: number) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1))),
  );

/**
 * The one way the plugin opens a transaction. On MySQL/MariaDB a deadlock or lock-wait-timeout victim
 * is rolled back whole (TypeORM rolls back on any error) and retried: every unit of work here only
 * touches the database (host ports are called outside transactions), so running it again is safe.
 * Contention that outlasts the retries is a 503 to try again later, never a 500.
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
      const code = contentionCode(error);
      if (code === undefined) throw error;
      if (attempt >= ATTEMPTS_BY_ERROR[code]) {
        throw new ServiceUnavailableException('the database is busy with concurrent changes; try again', {
          cause: error,
        });
      }
      await backoff(attempt);
    }
  }
}
