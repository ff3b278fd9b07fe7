import type { TestApp } from '../support/test-app';
import { auditBreaches, nodeBilling, settledFleet, nodeTables } from './support/billing-checks';
import { seedBillingFleet, type BillingFleet } from './support/billing-fleet';
import { runBilling, runProblems, startBillingReplica, type RunOutcome } from './support/billing-replicas';
import { connectNode, createClusterDatabase, describeCluster, NODES } from './support/galera';

/**
 * Two instances each: 10,000 instances, 240,000 instance-hours to catch up, as issue 13 asks.
 * CLUSTER_BILLING_ACCOUNTS sets another number, e.g. 500 for a quick run while developing.
 */
const ACCOUNTS = Number(process.env.CLUSTER_BILLING_ACCOUNTS ?? 5_000);

describeCluster('three app replicas on three Galera nodes catching up 24 hours at once', () => {
  let database: Awaited<ReturnType<typeof createClusterDatabase>>;
  const replicas: TestApp[] = [];
  let fleet: BillingFleet;
  let runs: RunOutcome[];

  beforeAll(async () => {
    database = await createClusterDatabase();
    // The first replica runs the migrations; the others start on the migrated database.
    for (const url of database.urls) replicas.push(await startBillingReplica(url));
    const seeding = await connectNode(1, database.name);
    const seedStarted = performance.now();
    try {
      fleet = await seedBillingFleet(replicas[0], seeding, ACCOUNTS);
    } finally {
      await seeding.end();
    }
    const runStarted = performance.now();
    runs = await Promise.all(replicas.map(runBilling));
    console.log(
      `[cluster-billing] ${fleet.instances} instances seeded in ${Math.round(runStarted - seedStarted)} ms; ` +
        `three concurrent runs done in ${Math.round(performance.now() - runStarted)} ms, instance-hours by ` +
        `replica: ${runs.map((run) => (run.ok ? run.summary.instanceHours : 'failed')).join(', ')}`,
    );
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await database?.drop();
  });

  it('every run ends without an error or an account it could not settle', () => {
    expect(runs.flatMap(runProblems)).toEqual([]);
  });

  it('the three runs settle every instance-hour between them, none twice', () => {
    const settled = runs.reduce((sum, run) => sum + (run.ok ? run.summary.instanceHours : 0), 0);
    expect(settled).toBe(fleet.instanceHours);
  });

  it.each(NODES)(
    'node %i holds every instance-hour charged once and every balance equal to its ledger',
    async (node) => {
      expect(await nodeBilling(node, database.name)).toEqual(settledFleet(fleet));
    },
  );

  it('the three nodes hold the same rows in every table', async () => {
    const [first, ...others] = await Promise.all(NODES.map((node) => nodeTables(node, database.name)));
    for (const other of others) expect(other).toEqual(first);
  });

  it.each([0, 1, 2])("replica %i's audit finds nothing wrong", async (index) => {
    expect(await auditBreaches(replicas[index])).toEqual([]);
  });
});
