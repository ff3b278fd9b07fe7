import { ServiceUnavailableException } from '@nestjs/common';

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
export interface RetryRule {
  attempts: number;
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** What the 503 says when the retries run out. */
  answer: string;
}
const BUSY = 'the database is busy with concurrent changes; try again';
const CONTENTION: RetryRule = { attempts: 10, firstBackoffMs: 10, maxBackoffMs: 250, answer: BUSY };
const CLUSTER_REFORMING: RetryRule = {
  attempts: 12,
  firstBackoffMs: 100,
  maxBackoffMs: 3_000,
  answer: 'the database cluster is re-forming after losing a node; try again',
};
const RETRY_RULES: Record<string, RetryRule> = {
  ER_LOCK_DEADLOCK: CONTENTION,
  ER_LOCK_WAIT_TIMEOUT: { attempts: 2, firstBackoffMs: 10, maxBackoffMs: 10, answer: BUSY },
  ER_UNKNOWN_COM_ERROR: CLUSTER_REFORMING,
  ER_ERROR_DURING_COMMIT: CLUSTER_REFORMING,
};
/** The driver's codes for a connection that broke or could not be made: the database is unreachable for now. */
const UNREACHABLE = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

function driverCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.driverError?.code ?? e?.code;
}

/**
 * The 503 for an error that says the database cannot serve just now rather than that the request is wrong: a
 * contention or cluster error that outlasted its retries or struck outside a transaction, or a broken connection.
 * Undefined for any other error.
 */
export function unavailableAnswer(error: unknown): ServiceUnavailableException | undefined {
  const answer = UNREACHABLE.has(driverCode(error) ?? '')
    ? 'the database cannot be reached just now; try again'
    : retryRuleOf(error)?.answer;
  return answer === undefined ? undefined : new ServiceUnavailableException(answer, { cause: error });
}

/** The retry rule for an error that leaves the transaction not committed and worth running again, if any. */
export function retryRuleOf(error: unknown): RetryRule | undefined {
  const code = driverCode(error);
  return code !== undefined && Object.hasOwn(RETRY_RULES, code) ? RETRY_RULES[code] : undefined;
}
