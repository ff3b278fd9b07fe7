/** The first retry waits 30 s; each failure doubles the wait, up to an hour. */
export const FIRST_RETRY_DELAY_MS = 30_000;
export const MAX_RETRY_DELAY_MS = 60 * 60_000;

/**
 * How long a claimed row is left to the replica that claimed it. Longer than the port timeout plus the
 * write that follows, so a lease never runs out while its holder may still deliver the row.
 */
export const LEASE_MS = 60_000;
export const PORT_TIMEOUT_MS = 30_000;

/** Rows read per query while walking the due rows by id. */
export const DELIVERY_BATCH_SIZE = 100;

export const MAX_ERROR_LENGTH = 500;

/** The wait after the `attempts`-th failed attempt (1-based). */
export function retryDelayMs(attempts: number): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be 1 or more (got ${attempts})`);
  // Past 2^7 the doubling is over the cap anyway; the guard keeps the power from overflowing to Infinity.
  if (attempts > 8) return MAX_RETRY_DELAY_MS;
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS);
}

/** A port call that never settles would hold its row (and the whole run) forever; this turns it into a failure. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error as the last_error column can hold it, cut on a character boundary. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const chars = Array.from(message);
  return chars.length <= MAX_ERROR_LENGTH ? message : `${chars.slice(0, MAX_ERROR_LENGTH - 1).join('')}…`;
}
