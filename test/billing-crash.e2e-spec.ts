import { BillingRunService } from '../src/billing/run/billing-run.service';
import { inspectCatchUp } from './support/crash-checks';
import { batchesOf, holdCrons, KillPoint } from './support/crash-child';
import { CATCH_UP_AT, CATCH_UP_HOURS, CrashFleet, seedCrashFleet } from './support/crash-fleet';
import { runUntilKilled } from './support/crash-runner';
import { differencesFrom } from './support/crash-snapshot';
import { startTestApp } from './support/test-app';
import { createTestDatabase, testEngine } from './support/test-database';

/** With 3 to 7 instances each: 1,000 instances, 24,000 instance-hours to catch up. */
const ACCOUNTS = 200;
/** Two settlement batches an hour, so that a kill mid-run falls between two batches of the same hour. */
const BATCH_SIZE = 100;
const BATCHES = CATCH_UP_HOURS * Math.ceil(ACCOUNTS / BATCH_SIZE);

/** Where the billing process dies, and how much of the catch-up the restarted run must then settle itself. */
const KILL_POINTS: { killAt: KillPoint; leftForRestart: 'all' | 'some' | 'none' }[] = [
  { killAt: { name: 'before-first-commit', method: 'postCharges', call: 1 }, leftForRestart: 'all' },
  { killAt: { name: 'mid-run', method: 'postCharges', call: BATCHES / 2 }, leftForRestart: 'some' },
  { killAt: { name: 'after-last-batch', method: 'settleDue' }, leftForRestart: 'none' },
];

/** A fresh database with the crash fleet settled up to T, nothing run since. */
async function preparedDatabase() {
  const database = await createTestDatabase();
  const t = await startTestApp({ databaseUrl: database.url });
  try {
    return { database, fleet: await seedCrashFleet(t, ACCOUNTS) };
  } finally {
    await t.close();
  }
}

/**
 * A process started afresh on the database (nothing in memory from any earlier one) runs the catch-up to its end,
 * outbox included, as the next hourly job would; then what it left is inspected.
 */
async function runToTheEnd(databaseUrl: string, fleet: CrashFleet) {
  const t = await startTestApp({ databaseUrl, clockStart: CATCH_UP_AT, tuning: batchesOf(BATCH_SIZE) });
  try {
    await holdCrons(t.app);
    const summary = await t.app.get(BillingRunService).run(CATCH_UP_AT);
    return { instanceHours: summary.instanceHours, left: await inspectCatchUp(t, fleet) };
  } finally {
    await t.close();
  }
}

const onMysql = testEngine() === 'mysql';
if (!onMysql) {
  console.log(
    '[cloud-billing] skipped "kill -9 during a 24-hour catch-up": the killed process and the test must share ' +
      'a database server that outlives them, MySQL/MariaDB (set DATABASE_URL=mysql://…)',
  );
}

/** One kill point tried on a database of its own: killed there, then run to the end by a fresh process. */
async function crashAndRestart(killAt: KillPoint) {
  const { database, fleet } = await preparedDatabase();
  try {
    await runUntilKilled({ databaseUrl: database.url, at: CATCH_UP_AT.toISOString(), batchSize: BATCH_SIZE, killAt });
    return { fleet, restart: await runToTheEnd(database.url, fleet) };
  } finally {
    await database.drop();
  }
}

async function controlRun() {
  const { database, fleet } = await preparedDatabase();
  try {
    return { fleet, run: await runToTheEnd(database.url, fleet) };
  } finally {
    await database.drop();
  }
}

(onMysql ? describe : describe.skip)('kill -9 during a 24-hour catch-up, then a restart', () => {
  let control: Awaited<ReturnType<typeof controlRun>>;
  let crashed: PromiseSettledResult<Awaited<ReturnType<typeof crashAndRestart>>>[];
  /** Per kill point tried: what the restart settled and every breach found, for the log. */
  const tried: { point: string; breaches: string[] }[] = [];

  beforeAll(async () => {
    // Four databases that share nothing: the control run and the three crashes go side by side, to keep CI short.
    const [first, ...rest] = await Promise.allSettled([
      controlRun(),
      ...KILL_POINTS.map(({ killAt }) => crashAndRestart(killAt)),
    ]);
    if (first.status === 'rejected') throw first.reason;
    control = first.value;
    crashed = rest;
    const { fleet, run } = control;
    console.log(
      `[crash] control run, uninterrupted: ${fleet.accounts} accounts, ${fleet.instances} instances, ` +
        `${run.instanceHours} instance-hours in ${BATCHES} batches; accounts ending ` +
        `${JSON.stringify(run.left.classes)}; ${run.left.snapshot['outbox rows'].size} outbox rows`,
    );
  }, 300_000);

  afterAll(() => {
    if (tried.length === 0) return;
    const breaches = tried.reduce((sum, { breaches: found }) => sum + found.length, 0);
    const lines = tried.map(({ point, breaches: found }) => [point, ...found.map((b) => `    - ${b}`)].join('\n'));
    console.log(`[crash] crash points tried: ${tried.length}, breaches: ${breaches}\n${lines.join('\n')}`);
  });

  it('the control run leaves every invariant and threshold state right, with accounts in every class', () => {
    expect(control.run.left.breaches).toEqual([]);
    const emptyClasses = Object.entries(control.run.left.classes).filter(([, accounts]) => accounts === 0);
    expect(emptyClasses).toEqual([]);
  });

  it.each(KILL_POINTS.map((point, index) => ({ ...point, index })))(
    'after a kill -9 at $killAt.name, the restarted run leaves exactly what the control run left',
    ({ killAt, leftForRestart, index }) => {
      const outcome = crashed[index];
      if (outcome.status === 'rejected') throw outcome.reason;
      const { fleet, restart } = outcome.value;
      const breaches = [...differencesFrom(control.run.left.snapshot, restart.left.snapshot), ...restart.left.breaches];
      tried.push({
        point:
          `  ${killAt.name}: the restart settled ${restart.instanceHours} of ${fleet.instanceHours} ` +
          `instance-hours; breaches ${breaches.length}`,
        breaches,
      });

      // The kill landed where it says: the restart had all, part or none of the catch-up left to settle.
      expect({
        leftForRestart,
        settledBeforeTheKill: restart.instanceHours < fleet.instanceHours,
        settledByTheRestart: restart.instanceHours > 0,
      }).toEqual({
        leftForRestart,
        settledBeforeTheKill: leftForRestart !== 'all',
        settledByTheRestart: leftForRestart !== 'none',
      });
      expect(breaches).toEqual([]);
    },
  );
});
