/**
 * A billing process for the crash suite to kill: the test host on an existing database, running one billing run
 * for a given moment as the hourly job would (settlement, grant expiries, thresholds, statements, the outbox).
 *
 *   node -r ts-node/register/transpile-only test/support/crash-child.ts '<CrashChildInput json>'
 *
 * Methods of the app's own Nest instances are wrapped (test code: production code is untouched) so that the run
 * stops at the kill point, prints `AT <name>` and waits there, its transaction open, until the parent kills it.
 */
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { GrantService } from '../../src/accounts/grants/grant.service';
import { LedgerService, type LedgerPostInput } from '../../src/accounts/ledger.service';
import { GrantExpiryService } from '../../src/billing/grants/grant-expiry.service';
import { BillingRunService } from '../../src/billing/run/billing-run.service';
import { SettlementService } from '../../src/billing/settlement/settlement.service';
import type { CloudBillingTuning } from '../../src/cloud-billing.options';
import { StatementCloseService } from '../../src/statements/statement-close.service';
import { StatementsRepository } from '../../src/statements/statements.repository';
import { createTestHost } from './test-host';

export type KillPoint =
  /** Inside the n-th LedgerService.postCharges call (n-th settlement batch): its entries written, not committed. */
  | { name: string; method: 'postCharges'; call: number }
  /** Once SettlementService.settleDue has resolved (every batch committed), before anything else in the run. */
  | { name: string; method: 'settleDue' }
  /** Inside the n-th grant expiry's transaction: its `expiry` entry posted and the grant closed, not committed. */
  | { name: string; method: 'postExpiry'; call: number }
  /** Once the n-th GrantService.expire call has resolved (that grant's expiry committed), before the next. */
  | { name: string; method: 'expire'; call: number }
  /** Once GrantExpiryService.expireDue has resolved (every expiry committed), before thresholds and statements. */
  | { name: string; method: 'expireDue' }
  /** Inside the n-th statement's transaction: its number taken, its rows written, not committed. */
  | { name: string; method: 'insertStatement'; call: number }
  /** Once the n-th statement has closed (committed), before the next. */
  | { name: string; method: 'closeStatement'; call: number }
  /** Once StatementCloseService.closeDue has resolved (every month closed), before the outbox is delivered. */
  | { name: string; method: 'closeDue' };

export interface CrashChildInput {
  databaseUrl: string;
  /** The billing run's moment (ISO); also where the demo clock stands. */
  at: string;
  /** Accounts per settlement transaction. */
  batchSize: number;
  killAt: KillPoint;
}

export const AT_LINE = 'AT ';

/** The plugin's options for a crash-suite process: settlement in batches of `batchSize` accounts. */
export const batchesOf = (batchSize: number): CloudBillingTuning => ({ billing: { settlementBatchSize: batchSize } });

/** Makes `app` run billing only when told. */
export async function holdCrons(app: INestApplication): Promise<void> {
  // Only the run under test settles: the crons must not start a run of their own meanwhile.
  for (const job of app.get(SchedulerRegistry).getCronJobs().values()) await job.stop();
}

async function main(input: CrashChildInput): Promise<void> {
  // The parent holds our stdin open: once it is gone (done, failed, timed out), so are we, wherever we wait.
  process.stdin.on('end', () => process.exit(1)).resume();
  const at = new Date(input.at);
  const app = await createTestHost(
    { databaseUrl: input.databaseUrl, admins: ['admin'], seed: false, manualClock: true, clockStart: at, port: 0 },
    batchesOf(input.batchSize),
  );
  await holdCrons(app);
  armKillPoint(app, input.killAt);
  await app.get(BillingRunService).run(at);
  // Reaching here means the kill point was never reached: the parent reports that.
  await app.close();
}

function armKillPoint(app: INestApplication, point: KillPoint): void {
  const halt = (target: object, method: string, counts: (args: unknown[], result: unknown) => boolean = () => true) =>
    haltAfterCall(target, method, 'call' in point ? point.call : 1, point.name, counts);
  switch (point.method) {
    case 'postCharges':
      // Still inside the batch's transaction: the parent's SIGKILL lands before it commits.
      return halt(app.get(LedgerService), 'postCharges');
    case 'settleDue':
      return halt(app.get(SettlementService), 'settleDue');
    case 'postExpiry':
      return halt(app.get(LedgerService), 'post', ([, input]) => (input as LedgerPostInput).kind === 'expiry');
    case 'expire':
      return halt(app.get(GrantService), 'expire');
    case 'expireDue':
      return halt(app.get(GrantExpiryService), 'expireDue');
    case 'insertStatement':
      return halt(app.get(StatementsRepository), 'insert');
    case 'closeStatement':
      return halt(app.get(StatementCloseService), 'close', (_args, result) => result === 'closed');
    case 'closeDue':
      return halt(app.get(StatementCloseService), 'closeDue');
  }
}

/**
 * Wraps `target[method]` (an async method of a Nest singleton, which its callers reach through the instance) so
 * that the `call`-th call that `counts` halts once it has resolved, inside whatever transaction it ran in.
 */
function haltAfterCall(
  target: object,
  method: string,
  call: number,
  name: string,
  counts: (args: unknown[], result: unknown) => boolean,
): void {
  const methods = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const original = methods[method].bind(target);
  let calls = 0;
  methods[method] = async (...args: unknown[]) => {
    const result = await original(...args);
    if (!counts(args, result)) return result;
    calls += 1;
    return calls === call ? haltAt(name) : result;
  };
}

/** Says where the run stands and never returns: the process (kept alive by stdin) waits, its transaction open. */
export function haltAt(name: string): Promise<never> {
  process.stdout.write(`${AT_LINE}${name}\n`);
  return new Promise<never>(() => undefined);
}

if (require.main === module) {
  main(JSON.parse(process.argv[2]) as CrashChildInput).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
