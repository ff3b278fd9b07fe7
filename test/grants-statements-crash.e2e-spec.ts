import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { BillingRunService } from '../src/billing/run/billing-run.service';
import { batchesOf, holdCrons, KillPoint } from './support/crash-child';
import {
  GRANTS_RUN_AT,
  GRANTS_SEEDED_AT,
  GrantsFleet,
  grantsProgress,
  inspectGrants,
  seedGrantsFleet,
  statementBreaches,
  unbalancedAccounts,
} from './support/crash-grants';
import { runUntilKilled } from './support/crash-runner';
import { differencesFrom, snapshotBilling } from './support/crash-snapshot';
import { startTestApp } from './support/test-app';
import { createTestDatabase, testEngine } from './support/test-database';

/** 30 accounts, 42 instances, 12 hours to catch up, 40 grants of which 30 expire in the run, 30 statements. */
const ACCOUNTS = 30;
/** Three settlement batches an hour. */
const BATCH_SIZE = 10;
/** Test processes and killed children at once: the machine is small. */
const PARALLEL = 3;

type Progress = Awaited<ReturnType<typeof grantsProgress>>;

/**
 * Kill points, each tried on a database of its own: one or more billing runs killed there one after the other, then
 * a clean run. `landed` says what the killed runs must have committed, so a kill point that moved is noticed.
 */
const SCENARIOS: { name: string; kills: KillPoint[]; landed: (p: Progress, fleet: GrantsFleet) => boolean }[] = [
  {
    name: 'mid-settlement, charges drawing on grants uncommitted',
    kills: [{ name: 'mid-settlement', method: 'postCharges', call: 18 }],
    landed: (p) => p.charges > 0 && p.closedGrants === 0 && p.statements === 0,
  },
  {
    name: 'inside the first expiry entry’s transaction',
    kills: [{ name: 'first-expiry-entry', method: 'postExpiry', call: 1 }],
    landed: (p) => p.expiries === 0 && p.statements === 0,
  },
  {
    name: 'after 7 grants expired',
    kills: [{ name: 'seven-expired', method: 'expire', call: 7 }],
    landed: (p) => p.closedGrants === 7 && p.statements === 0,
  },
  {
    name: 'after every expiry, before statements',
    kills: [{ name: 'expiries-done', method: 'expireDue' }],
    landed: (p, fleet) => p.closedGrants === fleet.expiring && p.statements === 0,
  },
  {
    name: 'inside the first statement’s transaction, its number taken',
    kills: [{ name: 'first-statement', method: 'insertStatement', call: 1 }],
    landed: (p, fleet) => p.closedGrants === fleet.expiring && p.statements === 0,
  },
  {
    name: 'after 12 statements closed',
    kills: [{ name: 'twelve-statements', method: 'closeStatement', call: 12 }],
    landed: (p) => p.statements === 12,
  },
  {
    name: 'three runs in a row: in an expiry, in a statement, after the statements',
    kills: [
      { name: 'third-expiry-entry', method: 'postExpiry', call: 3 },
      { name: 'fourth-statement', method: 'insertStatement', call: 4 },
      { name: 'statements-done', method: 'closeDue' },
    ],
    landed: (p, fleet) => p.closedGrants === fleet.expiring && p.statements === fleet.accounts,
  },
];

/** A database the killed child and the test can both open: a MySQL database, or an SQLite file (not in memory). */
async function sharedDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testEngine() === 'mysql') return createTestDatabase();
  const file = join(tmpdir(), `cloud-billing-grants-crash-${randomBytes(4).toString('hex')}.sqlite`);
  return {
    url: `sqlite:${file}`,
    drop: async () => {
      for (const suffix of ['', '-journal', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
    },
  };
}

/** A fresh process on the database runs billing at GRANTS_RUN_AT to its end; what it left is inspected. */
async function cleanRunAndInspect(databaseUrl: string, fleet: GrantsFleet) {
  const t = await startTestApp({ databaseUrl, clockStart: GRANTS_RUN_AT, tuning: batchesOf(BATCH_SIZE) });
  try {
    await holdCrons(t.app);
    const db = t.app.get(DataSource);
    const before = await grantsProgress(db);
    await t.app.get(BillingRunService).run(GRANTS_RUN_AT);
    const audit = (await t.as('admin').get('/admin/audit').expect(200)).body;
    const grants = await inspectGrants(db);
    return {
      before,
      classes: grants.classes,
      snapshot: await snapshotBilling(db),
      breaches: [
        ...grants.breaches,
        ...(await statementBreaches(db, fleet)),
        ...(await unbalancedAccounts(db)),
        ...(audit.ok
          ? []
          : [`the audit reports ${audit.breachCount} breaches, e.g. ${JSON.stringify(audit.breaches.slice(0, 3))}`]),
      ],
    };
  } finally {
    await t.close();
  }
}

/** Seeds a database of its own, kills a billing run at each kill point in turn, then finishes with a clean run. */
async function tryScenario(kills: KillPoint[]) {
  const database = await sharedDatabase();
  try {
    const seeding = await startTestApp({ databaseUrl: database.url, clockStart: GRANTS_SEEDED_AT });
    let fleet: GrantsFleet;
    try {
      fleet = await seedGrantsFleet(seeding, ACCOUNTS);
    } finally {
      await seeding.close();
    }
    for (const killAt of kills) {
      await runUntilKilled({
        databaseUrl: database.url,
        at: GRANTS_RUN_AT.toISOString(),
        batchSize: BATCH_SIZE,
        killAt,
      });
    }
    return { fleet, result: await cleanRunAndInspect(database.url, fleet) };
  } finally {
    await database.drop();
  }
}

/** Runs the tasks, at most `limit` at once; each settles on its own. */
async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]().then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

describe(`kill -9 while grants expire and statements close, then a clean run (${testEngine()})`, () => {
  let control: Awaited<ReturnType<typeof tryScenario>>;
  let crashed: PromiseSettledResult<Awaited<ReturnType<typeof tryScenario>>>[];

  beforeAll(async () => {
    const [first, ...rest] = await inPool(
      [
        () => tryScenario([]),
        ...SCENARIOS.map(
          ({ kills }) =>
            () =>
              tryScenario(kills),
        ),
      ],
      PARALLEL,
    );
    if (first.status === 'rejected') throw first.reason;
    control = first.value;
    crashed = rest;
  }, 240_000);

  it('the uninterrupted run expires every due grant once and closes every statement, in every class', () => {
    expect(control.result.breaches).toEqual([]);
    expect(control.fleet.expiring).toBe(30);
    expect(control.result.classes).toEqual({
      expiredInTheMonth: expect.any(Number),
      expiredAtTheMonthEnd: expect.any(Number),
      usedUpBeforeExpiry: expect.any(Number),
      stillOpen: expect.any(Number),
    });
    expect(Object.entries(control.result.classes).filter(([, count]) => count === 0)).toEqual([]);
  });

  it.each(SCENARIOS.map((scenario, index) => ({ ...scenario, index })))(
    'killed $name: the clean run leaves exactly what the uninterrupted run left',
    ({ landed, index }) => {
      const outcome = crashed[index];
      if (outcome.status === 'rejected') throw outcome.reason;
      const { fleet, result } = outcome.value;
      // The kills landed where they say: what they committed before the clean run.
      expect({ before: result.before, landed: landed(result.before, fleet) }).toEqual({
        before: result.before,
        landed: true,
      });
      expect([...result.breaches, ...differencesFrom(control.result.snapshot, result.snapshot)]).toEqual([]);
    },
  );
});
