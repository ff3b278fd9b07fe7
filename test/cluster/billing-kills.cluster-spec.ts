import { runUntilKilled } from '../support/crash-runner';
import type { TestApp } from '../support/test-app';
import { auditBreaches, nodeBilling, settledFleet, nodeTables } from './support/billing-checks';
import { CATCH_UP_AT, seedBillingFleet, type BillingFleet } from './support/billing-fleet';
import { restartNodeInBackground, usageRowsReach } from './support/billing-nodes';
import { runBilling, runProblems, startBillingReplica, type RunOutcome } from './support/billing-replicas';
import { connectNode, createClusterDatabase, describeCluster, killNode, NODES, restartNode } from './support/galera';

/**
 * Two instances each: 10,000 instances, 240,000 instance-hours to catch up, as issue 13 asks.
 * CLUSTER_BILLING_ACCOUNTS sets another number, e.g. 500 for a quick run while developing.
 */
const ACCOUNTS = Number(process.env.CLUSTER_BILLING_ACCOUNTS ?? 5_000);
/** Accounts per settlement transaction: the plugin's default, as in production. */
const BATCH_SIZE = 500;
/** The database node killed mid-run: replica B's. */
const KILLED_NODE = 2;
/** Node 2 dies once this share of the catch-up is committed, and restarts at the second. */
const KILL_NODE_AT = 1 / 3;
const RESTART_NODE_AT = 2 / 3;
/** Replica C (a child process on node 3) dies inside its third settlement batch, the transaction open. */
const KILL_REPLICA_AT_BATCH = 3;
/** Billing runs a survivor makes at most, as the hourly cron would, until one finds nothing left to settle. */
const SURVIVOR_RUNS = 5;
/** Statuses a request may answer while its node rejoins: done, or "busy, try again"; never a 500. */
const RETRYABLE = [200, 503];

describeCluster('a database node and an app replica killed (kill -9) during a 24-hour catch-up', () => {
  let database: Awaited<ReturnType<typeof createClusterDatabase>>;
  /** A on node 1 survives; B on node 2 loses its database; a fresh replica on node 3 replaces the killed C at the end. */
  const replicas: Record<'a' | 'b' | 'c', TestApp | undefined> = { a: undefined, b: undefined, c: undefined };
  let fleet: BillingFleet;
  const survivorRuns: RunOutcome[] = [];
  let firstRunOfB: RunOutcome;
  /** HTTP statuses (and 5xx messages) B's requests answered while node 2 rejoined. */
  const duringRejoin: { status: number; message?: string }[] = [];

  beforeAll(async () => {
    database = await createClusterDatabase();
    const a = (replicas.a = await startBillingReplica(database.urls[0]));
    const b = (replicas.b = await startBillingReplica(database.urls[1]));
    const seeding = await connectNode(1, database.name);
    try {
      fleet = await seedBillingFleet(a, seeding, ACCOUNTS);
    } finally {
      await seeding.end();
    }
    const started = performance.now();
    const log = (what: string) =>
      console.log(`[cluster-billing] ${Math.round((performance.now() - started) / 1000)} s: ${what}`);

    // A, B and C run at once; C dies inside a batch, node 2 dies a third of the way through and restarts two
    // thirds of the way through, rejoining while A settles, and B's requests keep coming while it rejoins.
    let runsOver = false;
    const runs = Promise.all([runBilling(a), runBilling(b)]).finally(() => (runsOver = true));
    const killedReplica = runUntilKilled({
      databaseUrl: database.urls[2],
      at: CATCH_UP_AT.toISOString(),
      batchSize: BATCH_SIZE,
      killAt: { name: 'replica C mid-batch', method: 'postCharges', call: KILL_REPLICA_AT_BATCH },
    }).then(() => log(`replica C killed inside its batch ${KILL_REPLICA_AT_BATCH}`));
    const atKill = await usageRowsReach(1, database.name, fleet.instanceHours * KILL_NODE_AT, () => runsOver);
    killNode(KILLED_NODE);
    log(`node ${KILLED_NODE} killed with ${atKill} of ${fleet.instanceHours} instance-hours committed`);
    const atRestart = await usageRowsReach(1, database.name, fleet.instanceHours * RESTART_NODE_AT, () => runsOver);
    log(`node ${KILLED_NODE} restarting with ${atRestart} instance-hours committed`);
    let rejoined = false;
    const rejoin = restartNodeInBackground(KILLED_NODE).finally(() => (rejoined = true));
    void rejoin.catch(() => undefined);
    const probing = (async () => {
      while (!rejoined) {
        // A quick read (a run would take minutes here), outside any transaction, as most of the admin pages do.
        const response = await b.as('admin').get('/admin/billing/failures');
        duringRejoin.push({ status: response.status, message: response.status >= 500 ? response.text : undefined });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    const [firstRunOfA, runOfB] = await runs;
    firstRunOfB = runOfB;
    survivorRuns.push(firstRunOfA);
    log("A's run and B's run over");
    await killedReplica;
    await rejoin;
    await probing;
    log(`node ${KILLED_NODE} rejoined; B answered ${duringRejoin.map(({ status }) => status).join(' ')} meanwhile`);

    // The survivor bills again, as the hourly cron would, until a run finds nothing left.
    while (survivorRuns.length < SURVIVOR_RUNS) {
      const run = await runBilling(a);
      survivorRuns.push(run);
      if (run.ok && run.summary.instanceHours === 0) break;
    }
    log(`A's runs until nothing was left: ${survivorRuns.length}`);
    replicas.c = await startBillingReplica(database.urls[2]);
  });

  afterAll(async () => {
    // Whatever failed above, the cluster is left whole for the next test file.
    restartNode(KILLED_NODE);
    for (const replica of Object.values(replicas)) await replica?.close();
    await database?.drop();
  });

  it("the survivor's runs end without an error or an account they could not settle", () => {
    expect(survivorRuns.flatMap(runProblems)).toEqual([]);
  });

  it('B, whose node died under it, fails only for the lost connection', () => {
    const problems = runProblems(firstRunOfB);
    console.log(`[cluster-billing] B's run while its node died: ${problems.join('\n') || 'no problem'}`);
    expect(problems.filter((problem) => /ER_LOCK_DEADLOCK|1213|1180|1047|Primary Component/.test(problem))).toEqual([]);
  });

  it('requests to B while its node rejoins answer 200 or 503, never a 500', () => {
    expect(duringRejoin.filter(({ status }) => !RETRYABLE.includes(status))).toEqual([]);
  });

  it.each(NODES)(
    'node %i holds every instance-hour charged once and every balance equal to its ledger',
    async (node) => {
      expect(await nodeBilling(node, database.name)).toEqual(settledFleet(fleet));
    },
  );

  it('after node 2 rejoined, the three nodes hold the same rows in every table', async () => {
    const [first, ...others] = await Promise.all(NODES.map((node) => nodeTables(node, database.name)));
    for (const other of others) expect(other).toEqual(first);
  });

  it.each(['a', 'b', 'c'] as const)("replica %s's audit finds nothing wrong", async (name) => {
    expect(await auditBreaches(replicas[name] as TestApp)).toEqual([]);
  });
});
