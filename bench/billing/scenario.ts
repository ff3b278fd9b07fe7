/**
 * One phase of a billing benchmark scenario, in a process of its own so that its peak RSS is its own:
 *
 *   prepare  the demo host's real migrations on one of the scenario's two empty databases, then the bulk seed
 *   settle   the demo host (Nest) on the engine's database; SettlementService.settleDue timed, then verified
 *   bare     the same hours on the floor's database with bare batched SQL, timed, verified, and compared row by
 *            row with what settleDue wrote (only in scenarios that `compare`)
 *   floor    the minimal floor (floor-sql.ts) of as many instance-hours, on settleDue's database once it is
 *            settled and checked: the hours after the settled ones, so the tables are as full as settleDue's were
 *
 *   node --expose-gc <transpiled>/bench/billing/scenario.js <phase> '<ScenarioInput json>'
 *
 * Prints one `BENCH_RESULT {json}` line.
 */
import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HOUR_MS } from '../../src/billing/rating';
import { SettlementService } from '../../src/billing/settlement/settlement.service';
import { createDemoApp } from '../../src/demo/create-demo-app';
import { settleHourWithBareSql, type BareSqlResult } from './bare-sql';
import { type BenchTarget, databaseUrlOf, openBenchDb, reachOther } from './bench-db';
import { floorRowCounts, writeFloor } from './floor-sql';
import { profileSettlement, type CallStats, type StatementStats } from './profile';
import { measure, mib, type Measured } from './sampling';
import { INSTANCES_PER_ACCOUNT, seedFleet, type SeededFleet } from './seed';
import { verifySame, verifySettled, type Check } from './verify';

export interface ScenarioInput {
  name: string;
  target: BenchTarget;
  /** The database settleDue settles. */
  database: string;
  /** The database the bare SQL settles: seeded the same way, so both settle the same hours from the same rows. */
  floorDatabase: string;
  /** Also settle the same hours with bare SQL on `floorDatabase` and compare; else that database is not used. */
  compare: boolean;
  accounts: number;
  /** Unsettled hours before the run: 1 for the hourly run, 24 for the catch-up. */
  hours: number;
  /** Wrap the repositories and count SQL round trips (adds a little overhead). */
  profile: boolean;
  /** Accounts per transaction in the bare-SQL run: the service's own batchSize, read by the settle phase. */
  batchSize?: number;
}

export interface Timing {
  wallMs: number;
  instanceHours: number;
  instanceHoursPerSecond: number;
  batches: number;
  /** Peak RSS minus the RSS just before the run (the process already idle with its app / connection up). */
  peakRssDeltaMiB: number;
  baselineRssMiB: number;
  /** V8 heap in use just before the run, after a full GC. */
  baselineHeapMiB: number;
  /** Peak V8 heap in use minus the heap in use just before the run (after a GC). */
  peakHeapDeltaMiB: number;
  /** Heap still in use after the run and a full GC, minus the baseline: what the run keeps (its summary). */
  retainedHeapDeltaMiB: number;
  ok: boolean;
  checks: Check[];
}

export type SettleResult = Timing & {
  batchSize: number;
  profile?: Record<string, CallStats>;
  statementKinds?: Record<string, StatementStats>;
};
export type BareResult = Timing & { steps: Record<string, number> };
export type FloorTiming = Timing & { statements: number; transactions: number };

/** The hour every scenario's due work ends at; mid-month, so no month boundary is crossed. */
export const H = Date.UTC(2026, 2, 10, 12);
/** Where the due hours start: the instances' creation. */
const createdAtMs = (input: ScenarioInput) => H - input.hours * HOUR_MS;
/** Settlement runs a minute past the hour, as the hourly cron does: every hour before H is due, H is not. */
const RUN_AT = H + 60_000;

const demoApp = (input: ScenarioInput) =>
  createDemoApp({
    databaseUrl: databaseUrlOf(input.target, input.database),
    admins: ['admin'],
    seed: false,
    manualClock: true,
    clockStart: new Date(RUN_AT),
    port: 0,
  });

/** Prepares the database named in `input.database` (the bench calls it once for each of the two). */
async function prepare(input: ScenarioInput): Promise<SeededFleet> {
  // The real migrations, run the way the host runs them (migrationsRun on start).
  const app = await demoApp(input);
  await app.close();
  const db = await openBenchDb(input.target, input.database);
  try {
    return await seedFleet(db, { accounts: input.accounts, createdAtMs: createdAtMs(input), hours: input.hours });
  } finally {
    await db.end();
  }
}

async function settle(input: ScenarioInput): Promise<SettleResult> {
  let app: INestApplication | undefined;
  const db = await openBenchDb(input.target, input.database);
  try {
    app = await demoApp(input);
    // Only the benchmark settles: the hourly and outbox crons must not start a run of their own meanwhile.
    for (const job of app.get(SchedulerRegistry).getCronJobs().values()) await job.stop();

    const settlement = app.get(SettlementService);
    const profiler = input.profile ? profileSettlement(app, input.target.engine) : undefined;
    let batches = 0;
    const target = settlement as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const settleBatch = target.settleBatch;
    target.settleBatch = function (this: unknown, ...args: unknown[]) {
      batches += 1;
      return settleBatch.apply(this, args);
    };

    const run = await measure(() => settlement.settleDue(new Date(RUN_AT)));
    profiler?.restore();
    const checks = await verifySettled(db, { accounts: input.accounts, hours: input.hours, settledUntilMs: H });
    return {
      ...timing(run, run.result.instanceHours, batches, checks),
      batchSize: settlement.batchSize,
      profile: profiler?.report(),
      statementKinds: profiler?.statementReport(),
    };
  } finally {
    await db.end();
    await app?.close();
  }
}

async function bare(input: ScenarioInput): Promise<BareResult> {
  const db = await openBenchDb(input.target, input.floorDatabase);
  try {
    const run = await measure(async () => {
      const total: BareSqlResult = { instanceHours: 0, charges: 0, batches: 0, steps: {} };
      for (let hour = 0; hour < input.hours; hour++) {
        const result = await settleHourWithBareSql(db, createdAtMs(input) + hour * HOUR_MS, input.batchSize ?? 500);
        total.instanceHours += result.instanceHours;
        total.charges += result.charges;
        total.batches += result.batches;
        for (const [step, ms] of Object.entries(result.steps)) total.steps[step] = (total.steps[step] ?? 0) + ms;
      }
      return total;
    });
    const checks = [
      ...(await verifySettled(db, { accounts: input.accounts, hours: input.hours, settledUntilMs: H })),
      ...(await verifySame(db, await reachOther(db, input.target, input.database), 'settleDue')),
    ];
    return {
      ...timing(run, run.result.instanceHours, run.result.batches, checks),
      steps: Object.fromEntries(Object.entries(run.result.steps).map(([k, v]) => [k, Math.round(v)])),
    };
  } finally {
    await db.end();
  }
}

async function floor(input: ScenarioInput): Promise<FloorTiming> {
  const db = await openBenchDb(input.target, input.database);
  try {
    const [plan] = await db.rows<{ id: number }>("SELECT id FROM cloud_billing_plans WHERE slug = 'bench-1'");
    const fleet = { accounts: input.accounts, hours: input.hours, planId: Number(plan.id) };
    const run = await measure(() => writeFloor(db, fleet, H));
    const written = await floorRowCounts(db, H);
    const want = { usage: input.accounts * INSTANCES_PER_ACCOUNT * input.hours, ledger: input.accounts * input.hours };
    const checks: Check[] = [
      { name: 'floor usage rows', expected: String(want.usage), actual: String(written.usage), ok: false },
      { name: 'floor ledger rows', expected: String(want.ledger), actual: String(written.ledger), ok: false },
    ].map((check) => ({ ...check, ok: check.expected === check.actual }));
    const { statements, transactions } = run.result;
    return { ...timing(run, run.result.instanceHours, transactions, checks), statements, transactions };
  } finally {
    await db.end();
  }
}

function timing(m: Measured<unknown>, instanceHours: number, batches: number, checks: Check[]): Timing {
  return {
    wallMs: Math.round(m.wallMs),
    instanceHours,
    instanceHoursPerSecond: Math.round(instanceHours / (m.wallMs / 1000)),
    batches,
    peakRssDeltaMiB: mib(m.peakRss - m.baselineRss),
    baselineRssMiB: mib(m.baselineRss),
    baselineHeapMiB: mib(m.baselineHeap),
    peakHeapDeltaMiB: mib(m.peakHeap - m.baselineHeap),
    retainedHeapDeltaMiB: mib(m.retainedHeap - m.baselineHeap),
    ok: checks.every((check) => check.ok),
    checks,
  };
}

const phases: Record<string, (input: ScenarioInput) => Promise<unknown>> = { prepare, settle, bare, floor };
const [phase, json] = process.argv.slice(2);
if (!phases[phase]) {
  console.error(`usage: scenario.ts <${Object.keys(phases).join('|')}> '<ScenarioInput json>'`);
  process.exit(2);
}
phases[phase](JSON.parse(json) as ScenarioInput).then(
  (result) => {
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
