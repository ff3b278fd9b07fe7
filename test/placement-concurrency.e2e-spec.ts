import { DataSource } from 'typeorm';
import { topUp } from './support/billing-fixtures';
import { addHypervisor, createInstance, createLocation, createOfferedPlan, SLOT } from './support/placement-fixtures';
import { startTestApp, TestApp } from './support/test-app';
import { describeReplicas } from './support/replicas';

interface MemberView {
  hypervisorId: string;
  capacity: { vcpus: number; ramMb: number; diskGb: number };
  allocated: { vcpus: number; ramMb: number; diskGb: number };
  instanceCount: number;
}

async function members(t: TestApp, locationId: number): Promise<MemberView[]> {
  return (await t.as('admin').get(`/admin/locations/${locationId}`).expect(200)).body.hypervisors;
}

function expectNoneOverCapacity(views: MemberView[]): void {
  for (const view of views) {
    for (const key of ['vcpus', 'ramMb', 'diskGb'] as const) {
      expect({ hypervisor: view.hypervisorId, key, over: view.allocated[key] > view.capacity[key] }).toEqual({
        hypervisor: view.hypervisorId,
        key,
        over: false,
      });
    }
  }
}

/** What the instances table says, independent of the admin view's own arithmetic. */
async function placedPerHypervisor(t: TestApp): Promise<Map<string, number>> {
  const rows: { hypervisorId: string; n: string | number }[] = await t.app
    .get(DataSource)
    .query(
      "SELECT hypervisor_id AS hypervisorId, COUNT(*) AS n FROM cloud_billing_instances WHERE state <> 'terminated' GROUP BY hypervisor_id",
    );
  return new Map(rows.map((row) => [row.hypervisorId, Number(row.n)]));
}

/** `count` creations at once, spread over the apps in turn; the statuses and bodies in request order. */
function createAtOnce(apps: TestApp[], count: number, planId: number, locationId: number) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      createInstance(apps[i % apps.length], `user-${i % 10}`, planId, locationId, `vm-${i}`),
    ),
  );
}

/** Credit for the users createAtOnce creates for: ten instances each at the plans' 1 credit an hour, and more. */
async function fundUsers(t: TestApp): Promise<void> {
  for (let i = 0; i < 10; i++) await topUp(t, `user-${i}`, '100', `pay-user-${i}`).expect(201);
}

async function evenFleet(t: TestApp, size: number, slots: number): Promise<{ locationId: number; planId: number }> {
  const ids = Array.from({ length: size }, (_, i) => `hv-${String(i).padStart(2, '0')}`);
  for (const id of ids) await addHypervisor(t, id, slots);
  const locationId = await createLocation(t, 'Busy', ids);
  await fundUsers(t);
  return { locationId, planId: await createOfferedPlan(t, 'Small', [locationId]) };
}

async function unevenFleet(t: TestApp): Promise<{ locationId: number; planId: number; slots: number[] }> {
  const slots = [3, 5, 8, 10, 4];
  await fundUsers(t);
  for (const [i, n] of slots.entries()) await addHypervisor(t, `hv-u${i}`, n);
  const locationId = await createLocation(
    t,
    'Tight',
    slots.map((_, i) => `hv-u${i}`),
  );
  return { locationId, planId: await createOfferedPlan(t, 'Small', [locationId]), slots };
}

describe('concurrent creations in one app', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('spreads 100 at once evenly, none over capacity', async () => {
    const { locationId, planId } = await evenFleet(t, 7, 20);
    const responses = await createAtOnce([t], 100, planId, locationId);
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
    const views = await members(t, locationId);
    expectNoneOverCapacity(views);
    const counts = views.map((v) => v.instanceCount);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('fills every hypervisor exactly and refuses the rest with 409 when demand exceeds room', async () => {
    const { locationId, planId, slots } = await unevenFleet(t);
    const responses = await createAtOnce([t], 45, planId, locationId);
    const total = slots.reduce((a, b) => a + b, 0);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(total);
    const refused = responses.filter((r) => r.status !== 201);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.message}`))).toEqual(
      new Set(['409 no capacity in Tight for Small']),
    );
    const placed = await placedPerHypervisor(t);
    expect(slots.map((_, i) => placed.get(`hv-u${i}`))).toEqual(slots);
    expectNoneOverCapacity(await members(t, locationId));
  });
});

describeReplicas('concurrent creations from two app replicas on one database', (replicas) => {
  let a: TestApp;
  let b: TestApp;
  beforeEach(async () => {
    ({ a, b } = replicas());
  });

  /** Each replica has its own simulated host: both must report the same fleet. */
  async function onBoth<T>(setup: (t: TestApp) => Promise<T>): Promise<T> {
    const result = await setup(a);
    const { body } = await a.as('admin').get('/demo/hypervisors').expect(200);
    for (const h of body) await b.as('admin').post('/demo/hypervisors', h);
    return result;
  }

  it('spreads 100 at once evenly between them, none over capacity', async () => {
    const { locationId, planId } = await onBoth((t) => evenFleet(t, 7, 20));
    const responses = await createAtOnce([a, b], 100, planId, locationId);
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
    const placed = await placedPerHypervisor(b);
    const counts = [...placed.values()];
    expect(placed.size).toBe(7);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(100);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expectNoneOverCapacity(await members(b, locationId));
  });

  it('never over-fills when both replicas compete for the last slots', async () => {
    const { locationId, planId, slots } = await onBoth(unevenFleet);
    const responses = await createAtOnce([a, b], 60, planId, locationId);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(slots.reduce((x, y) => x + y, 0));
    expect(responses.filter((r) => r.status === 409)).toHaveLength(60 - 30);
    const placed = await placedPerHypervisor(a);
    expect(slots.map((_, i) => placed.get(`hv-u${i}`))).toEqual(slots);
    expect(SLOT.vcpus * slots[0]).toBe((await members(a, locationId))[0].allocated.vcpus);
  });
});
