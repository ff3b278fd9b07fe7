import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isMysql } from './database';
import { retryRuleOf, unavailableAnswer, type RetryRule } from './database-errors';
import { SerialQueue } from './serial-queue';

/**
 * TypeORM runs every SQLite transaction on the data source's one connection, so two interleaved
 * ones would nest as savepoints and see each other's half-done work. They take turns instead,
 * one queue per data source (SQLite is one process's file anyway; MySQL replicas use row locks).
 */
const sqliteTurns = new WeakMap<DataSource, SerialQueue>();

/** Retries wait a random time up to a bound doubling from the first, so the victims do not collide again. */
const backoff = (rule: RetryRule, attempt: number) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(rule.maxBackoffMs, rule.firstBackoffMs * 2 ** (attempt - 1))),
  );

/**
 * The one way the plugin opens a transaction. On MySQL/MariaDB a transaction rolled back for contention or a
 * re-forming cluster (common/database-errors.ts) is rolled back whole (TypeORM rolls back on any error) and retried: every unit of
 * work here only touches the database (host ports are called outside transactions), so running it again is safe.
 * Contention that outlasts the retries, or a database that cannot be reached, is a 503 to try again later, never
 * a 500.
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
      const rule = retryRuleOf(error);
      if (!rule || attempt >= rule.attempts) throw unavailableAnswer(error) ?? error;
      await backoff(rule, attempt);
    }
  }
}
