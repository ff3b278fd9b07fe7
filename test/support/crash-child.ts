/**
 * A billing process for the crash suite to kill: the test host on an existing database, running one billing run
 * for a given moment as the hourly job would (settlement, thresholds, the outbox).
 *
 *   node -r ts-node/register/transpile-only test/support/crash-child.ts '<CrashChildInput json>'
 *
 * Methods of the app's own Nest instances are wrapped (test code: production code is untouched) so that the run
 * stops at the kill point, prints `AT <name>` and waits there, its transaction open, until the parent kills it.
 */
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { LedgerService } from '../../src/accounts/ledger.service';
import { BillingRunService } from '../../src/billing/run/billing-run.service';
import { SettlementService } from '../../src/billing/settlement/settlement.service';
import type { CloudBillingTuning } from '../../src/cloud-billing.options';
import { createTestHost } from './test-host';

export type KillPoint =
  /** Inside the n-th LedgerService.postCharges call (n-th settlement batch): its entries written, not committed. */
  | { name: string; method: 'postCharges'; call: number }
  /** Once SettlementService.settleDue has resolved (every batch committed), before anything else in the run. */
  | { name: string; method: 'settleDue' };

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
  if (point.method === 'settleDue') {
    const settlement = app.get(SettlementService);
    const settleDue = settlement.settleDue.bind(settlement);
    settlement.settleDue = async (now) => {
      await settleDue(now);
      return haltAt(point.name);
    };
    return;
  }
  const ledger = app.get(LedgerService);
  const postCharges = ledger.postCharges.bind(ledger);
  let calls = 0;
  ledger.postCharges = async (...args) => {
    const posted = await postCharges(...args);
    calls += 1;
    // Still inside the batch's transaction: the parent's SIGKILL lands before it commits.
    return calls === point.call ? haltAt(point.name) : posted;
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
