import type request from 'supertest';
import { topUp } from '../support/billing-fixtures';
import { addHypervisor, createInstance, createLocation, createOfferedPlan } from '../support/placement-fixtures';
import type { TestApp } from '../support/test-app';
import { describeCluster } from './support/galera';
import { type ClusterReplicas, rowsOnEveryNode, startClusterReplicas } from './support/placement-replicas';

/** Users the creations are made for, each with credit for far more instances than it gets. */
const USERS = Array.from({ length: 30 }, (_, i) => `creator-${String(i).padStart(2, '0')}`);

interface Fleet {
  locationName: string;
  planName: string;
  locationId: number;
  planId: number;
  /** Hypervisor id → room, in plan-sized slots. */
  slots: Map<string, number>;
}

/**
 * Locations of `hypervisors` hypervisors with room for `slots` instances each, and one plan offered in all of them.
 * Every replica simulates its own host, so each must report the same fleet; the catalog and the users' credit are
 * written once, through the first replica.
 */
async function fleetsOnEveryReplica(
  apps: TestApp[],
  shapes: { hypervisors: number; slots: number }[],
): Promise<Fleet[]> {
  const [first] = apps;
  const located: { name: string; id: number; slots: Map<string, number> }[] = [];
  for (const [l, { hypervisors, slots }] of shapes.entries()) {
    const ids = Array.from({ length: hypervisors }, (_, i) => `hv-${l}-${String(i).padStart(2, '0')}`);
    for (const app of apps) for (const id of ids) await addHypervisor(app, id, slots);
    const name = `Busy ${l} ${hypervisors}x${slots}`;
    located.push({ name, id: await createLocation(first, name, ids), slots: new Map(ids.map((id) => [id, slots])) });
  }
  const planId = await createOfferedPlan(
    first,
    'Small',
    located.map((location) => location.id),
  );
  for (const userId of USERS) await topUp(first, userId, '1000', `pay-${userId}`).expect(201);
  return located.map(({ name, id, slots }) => ({
    locationName: name,
    planName: 'Small',
    locationId: id,
    planId,
    slots,
  }));
}

const noCapacityIn = (fleet: Fleet) => `409 no capacity in ${fleet.locationName} for ${fleet.planName}`;

/** `count` creations at once over HTTP, round-robin over the replicas (as a load balancer would send them). */
function createAtOnce(apps: TestApp[], fleet: Fleet, count: number): Promise<request.Response[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      createInstance(apps[i % apps.length], USERS[i % USERS.length], fleet.planId, fleet.locationId, `vm-${i}`),
    ),
  );
}

/**
 * Per hypervisor, on every node: what holds room on it (live instances and reservations not yet confirmed), read
 * from the tables themselves rather than through the engine's own arithmetic.
 */
async function occupancyOnEveryNode(replicas: ClusterReplicas): Promise<Map<string, number>[]> {
  const nodes = await rowsOnEveryNode<{ hypervisorId: string; n: string | number }>(
    replicas.databaseName,
    `SELECT hypervisor_id AS hypervisorId, COUNT(*) AS n FROM (
       SELECT hypervisor_id FROM cloud_billing_instances WHERE state <> 'terminated'
       UNION ALL SELECT hypervisor_id FROM cloud_billing_placement_reservations
     ) held GROUP BY hypervisor_id ORDER BY hypervisor_id`,
  );
  return nodes.map((rows) => new Map(rows.map((row) => [row.hypervisorId, Number(row.n)])));
}

/** Statuses with their messages, counted: what the users saw, e.g. { '201': 30, '409 no capacity in …': 30 }. */
function answersCounted(responses: request.Response[]): Record<string, number> {
  const counted: Record<string, number> = {};
  for (const response of responses) {
    const key = response.status === 201 ? '201' : `${response.status} ${response.body?.message}`;
    counted[key] = (counted[key] ?? 0) + 1;
  }
  return counted;
}

/** Hypervisors holding more than their room, as `id: held/room` (none expected). */
function overCapacity(fleet: Fleet, held: Map<string, number>): string[] {
  return [...fleet.slots]
    .filter(([id, room]) => (held.get(id) ?? 0) > room)
    .map(([id, room]) => `${id}: ${held.get(id)}/${room}`);
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

describeCluster('placement from three app replicas on three Galera nodes', () => {
  let replicas: ClusterReplicas;
  beforeEach(async () => {
    replicas = await startClusterReplicas();
  });
  afterEach(() => replicas.close());

  it('places exactly as many as fit when 60 creations compete for room for 30, and refuses the rest with 409', async () => {
    // The case: three hypervisors built for 10, 60 creations at once over three hosts placed 33.
    const [fleet] = await fleetsOnEveryReplica(replicas.apps, [{ hypervisors: 3, slots: 10 }]);
    const responses = await createAtOnce(replicas.apps, fleet, 60);

    // What the users were told and what each node holds, in one comparison so a failure shows both.
    const held = await occupancyOnEveryNode(replicas);
    expect({ answers: answersCounted(responses), overCapacity: held.map((h) => overCapacity(fleet, h)) }).toEqual({
      answers: { '201': 30, [noCapacityIn(fleet)]: 30 },
      overCapacity: [[], [], []],
    });
    for (const h of held) expect(Object.fromEntries(h)).toEqual(Object.fromEntries(fleet.slots));
  });

  it('fills one-hypervisor locations in use exactly when 30 creations from three nodes compete for 10 slots', async () => {
    // In a location of one hypervisor that already holds an instance, a placement leaves the round-robin cursor
    // where it was: the row lock is all that orders two placements, and it holds on one node only. Five such
    // locations at once, for five chances of two nodes placing at the same moment.
    const fleets = await fleetsOnEveryReplica(
      replicas.apps,
      Array.from({ length: 5 }, () => ({ hypervisors: 1, slots: 11 })),
    );
    for (const fleet of fleets) {
      await createInstance(replicas.apps[0], USERS[0], fleet.planId, fleet.locationId, 'in-use').expect(201);
    }
    const responses = await Promise.all(fleets.map((fleet) => createAtOnce(replicas.apps, fleet, 30)));

    const held = await occupancyOnEveryNode(replicas);
    expect({
      answers: responses.map(answersCounted),
      overCapacity: held.map((h) => fleets.flatMap((fleet) => overCapacity(fleet, h))),
    }).toEqual({
      answers: fleets.map((fleet) => ({ '201': 10, [noCapacityIn(fleet)]: 20 })),
      overCapacity: held.map(() => []),
    });
    const full = Object.fromEntries(fleets.flatMap((fleet) => [...fleet.slots]));
    for (const h of held) expect(Object.fromEntries(h)).toEqual(full);
  });

  it('places 300 at once into room for exactly 300: all placed, none over capacity, max − min ≤ 1', async () => {
    const [fleet] = await fleetsOnEveryReplica(replicas.apps, [{ hypervisors: 10, slots: 30 }]);
    const requested = 300;
    const responses = await createAtOnce(replicas.apps, fleet, requested);

    expect(answersCounted(responses)).toEqual({ '201': Math.min(requested, sum(fleet.slots.values())) });
    const perNode = await occupancyOnEveryNode(replicas);
    for (const held of perNode) {
      expect(overCapacity(fleet, held)).toEqual([]);
      expect(sum(held.values())).toBe(requested);
      expect(held.size).toBe(fleet.slots.size);
      expect(Math.max(...held.values()) - Math.min(...held.values())).toBeLessThanOrEqual(1);
    }
    // Every node holds the same placements.
    expect(perNode.map((held) => Object.fromEntries(held))).toEqual(perNode.map(() => Object.fromEntries(perNode[0])));
  });
});
