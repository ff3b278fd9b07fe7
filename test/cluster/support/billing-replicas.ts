import { BillingRunService, type BillingRunSummary } from '../../../src/billing/run/billing-run.service';
import { holdCrons } from '../../support/crash-child';
import { startTestApp, type TestApp } from '../../support/test-app';
import { CATCH_UP_AT } from './billing-fleet';

/** An in-process app replica on one node's URL, its clock at the catch-up, its crons held: runs only when told. */
export async function startBillingReplica(databaseUrl: string): Promise<TestApp> {
  const t = await startTestApp({ databaseUrl, clockStart: CATCH_UP_AT });
  await holdCrons(t.app);
  return t;
}

/** How one billing run ended: its summary, or the error it threw with what identifies a database error. */
export type RunOutcome = { ok: true; summary: BillingRunSummary } | { ok: false; error: string };

/** mysql2's fields (code, errno, SQL state and message), the statement and the stack: what a report must name. */
export function describeError(error: unknown): string {
  const e = error as Record<string, unknown> & { driverError?: Record<string, unknown>; cause?: unknown };
  const driver = e.driverError ?? (e.cause as Record<string, unknown> | undefined)?.driverError ?? e.cause ?? e;
  const d = driver as Record<string, unknown>;
  const fields = [d.code, d.errno, d.sqlState, d.sqlMessage ?? d.message].filter((value) => value !== undefined);
  const query = (e.query ?? d.sql) as string | undefined;
  return [
    `${(e as { name?: string }).name ?? 'Error'}: ${String(e.message)} [${fields.join(' | ')}]`,
    ...(query ? [`statement: ${query.replace(/\s+/g, ' ').slice(0, 300)}`] : []),
    String(e.stack ?? '')
      .split('\n')
      .slice(1, 12)
      .join('\n'),
  ].join('\n');
}

/** One billing run for the catch-up moment on `t`, as the hourly job runs it; never throws. */
export async function runBilling(t: TestApp): Promise<RunOutcome> {
  try {
    return { ok: true, summary: await t.app.get(BillingRunService).run(CATCH_UP_AT) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/** What a run's summary says went wrong: its thrown error, or the accounts it could not settle and why. */
export function runProblems(outcome: RunOutcome): string[] {
  if (!outcome.ok) return [outcome.error];
  return outcome.summary.failures.map((failure) => `${failure.userId} at ${failure.hour}: ${failure.error}`);
}
