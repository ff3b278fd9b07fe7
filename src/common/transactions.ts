import { ServiceUnavailableException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { isMysql } from './database';
import { SerialQueue } from './serial-queue';

/**
 * How a unit of work is retried when the database rolls it back for a reason that passes: contention, or a
 * cluster re-forming. Every retried error means the transaction did not commit, so running it again is safe.
 * - A deadlock victim is picked at once, so a burst of admins or replicas (28 make-defaults at the same moment) may
 *   need several tries. On a Galera cluster (or MySQL Group Replication) the same code, 1213, is also what a
 *   transaction gets when it loses certification against a conflicting one committed on another node.
 * - A lock-wait timeout has already waited `innodb_lock_wait_timeout` (50 s by default), so it gets one more try
 *   only, not minutes more.
 * - A Galera node cut off from the majority refuses statements (1047, "WSREP has not yet prepared node for
 *   application use") and commits (1180, "Not connected to Primary Component") until the cluster has re-formed,
 *   which takes its suspect and install timeouts (seconds): those retries wait longer, about 20 s in all.
 * A lost connection is not retried: the commit may or may not have happened, and only the caller's idempotency key
 * can tell, so the request fails cleanly (503) and its retry carries the key.
 */
interface RetryRule {
  attempts: number;
  firstBackoffMs: number;
  maxBackoffMs: number;
}
const CONTENTION: RetryRule = { attempts: 10, firstBackoffMs: 10, maxBackoffMs: 250 };
const CLUSTER_REFORMING: RetryRule = { attempts: 12, firstBackoffMs: 100, maxBackoffMs: 3_000 };
const RETRY_RULES: Record<string, RetryRule> = {
  ER_LOCK_DEADLOCK: CONTENTION,
  ER_LOCK_WAIT_TIMEOUT: { attempts: 2, firstBackoffMs: 10, maxBackoffMs: 10 },
  ER_UNKNOWN_COM_ERROR: CLUSTER_REFORMING,
  ER_ERROR_DURING_COMMIT: CLUSTER_REFORMING,
};
/** The driver's codes for a connection that broke or could not be made: the database is unreachable for now. */
const UNREACHABLE = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * TypeORM runs every SQLite transaction on the data source's one connection, so two interleaved
 * ones would nest as savepoints and see each other's half-done work. They take turns instead,
 * one queue per data source (SQLite is one process's file anyway; MySQL replicas use row locks).
 */
const sqliteTurns = new WeakMap<DataSource, SerialQueue>();

function driverCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.driverError?.code ?? e?.code;
}

/** Retries wait a random time up to a bound doubling from the first, so the victims do not collide again. */
const backoff = (rule: RetryRule, attempt: number) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(rule.maxBackoffMs, rule.firstBackoffMs * 2 ** (attempt - 1))),
  );

const busy = (error: unknown) =>
  new ServiceUnavailableException('the database is busy with concurrent changes; try again', { cause: error });
const unreachable = (error: unknown) =>
  new ServiceUnavailableException('the database cannot be reached just now; try again', { cause: error });

/**
 * The one way the plugin opens a transaction. On MySQL/MariaDB a transaction rolled back for contention or a
 * re-forming cluster (RETRY_RULES) is rolled back whole (TypeORM rolls back on any error) and retried: every unit of
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
      const code = driverCode(error) ?? '';
      if (UNREACHABLE.has(code)) throw unreachable(error);
      const rule = RETRY_RULES[code];
      if (!rule) throw error;
      if (attempt >= rule.attempts) throw busy(error);
      await backoff(rule, attempt);
    }
  }
}
