import {
  addHypervisor,
  createInstance,
  createLocation,
  createOfferedPlan,
  instanceCounts,
  withoutCreationCredit,
} from './support/placement-fixtures';
import { DemoHypervisorInventory } from '../src/demo/demo-ports';
import { startTestApp, TestApp } from './support/test-app';

describe('round-robin placement', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await withoutCreationCredit(t);
  });
  afterEach(() => t.close());

  const place = async (planId: number, locationId: number, user = 'alice') =>
    (await createInstance(t, user, planId, locationId).expect(201)).body.hypervisorId;

  it('goes round the members in order, skipping full ones, until none fits', async () => {
    // Uneven room: a takes one instance, b three, c two.
    await addHypervisor(t, 'hv-a', 1);
    await addHypervisor(t, 'hv-b', 3);
    await addHypervisor(t, 'hv-c', 2);
    const north = await createLocation(t, 'North', ['hv-a', 'hv-b', 'hv-c']);
    const planId = await createOfferedPlan(t, 'Small', [north]);

    const order = [];
    for (let i = 0; i < 6; i++) order.push(await place(planId, north));
    expect(order).toEqual(['hv-a', 'hv-b', 'hv-c', 'hv-b', 'hv-c', 'hv-b']);

    const { body } = await createInstance(t, 'alice', planId, north).expect(409);
    expect(body.message).toBe('no capacity in North for Small');
    expect(await instanceCounts(t, north)).toEqual({ 'hv-a': 1, 'hv-b': 3, 'hv-c': 2 });
  });

  it('continues after the last member used, also for other users and plans', async () => {
    for (const id of ['hv-a', 'hv-b', 'hv-c']) await addHypervisor(t, id, 10);
    const north = await createLocation(t, 'North', ['hv-a', 'hv-b', 'hv-c']);
    const small = await createOfferedPlan(t, 'Small', [north]);
    const other = await createOfferedPlan(t, 'Other', [north]);
    expect(await place(small, north, 'alice')).toBe('hv-a');
    expect(await place(other, north, 'bob')).toBe('hv-b');
    expect(await place(small, north, 'carol')).toBe('hv-c');
    expect(await place(other, north, 'alice')).toBe('hv-a');
  });

  it('skips members in maintenance or offline, and takes them back when they return', async () => {
    for (const id of ['hv-a', 'hv-b', 'hv-c', 'hv-d']) await addHypervisor(t, id, 10);
    const north = await createLocation(t, 'North', ['hv-a', 'hv-b', 'hv-c', 'hv-d']);
    const planId = await createOfferedPlan(t, 'Small', [north]);
    await t.as('admin').patch('/admin/hypervisors/hv-b', { enabled: false }).expect(200);
    await addHypervisor(t, 'hv-c', 10, false);

    expect([await place(planId, north), await place(planId, north), await place(planId, north)]).toEqual([
      'hv-a',
      'hv-d',
      'hv-a',
    ]);
    await t.as('admin').patch('/admin/hypervisors/hv-b', { enabled: true }).expect(200);
    expect(await place(planId, north)).toBe('hv-b');
  });

  it('skips a member the host no longer reports', async () => {
    for (const id of ['hv-a', 'hv-b']) await addHypervisor(t, id, 10);
    const north = await createLocation(t, 'North', ['hv-a', 'hv-b']);
    const planId = await createOfferedPlan(t, 'Small', [north]);
    const inventory = t.app.get(DemoHypervisorInventory);
    const report = inventory.listHypervisors.bind(inventory);
    const spy = jest
      .spyOn(inventory, 'listHypervisors')
      .mockImplementation(async () => (await report()).filter((h) => h.id !== 'hv-a'));
    try {
      expect([await place(planId, north), await place(planId, north)]).toEqual(['hv-b', 'hv-b']);
    } finally {
      spy.mockRestore();
    }
    expect(await place(planId, north)).toBe('hv-a');
  });

  it('answers 409 when every member is disabled or offline, however much room they have', async () => {
    await addHypervisor(t, 'hv-a', 10, false);
    await addHypervisor(t, 'hv-b', 10);
    const south = await createLocation(t, 'South', ['hv-a', 'hv-b']);
    const planId = await createOfferedPlan(t, 'Small', [south]);
    await t.as('admin').patch('/admin/hypervisors/hv-b', { enabled: false }).expect(200);
    const { body } = await createInstance(t, 'alice', planId, south).expect(409);
    expect(body.message).toBe('no capacity in South for Small');
  });

  it('needs room in vCPU, RAM and disk alike', async () => {
    await t
      .as('admin')
      .post('/demo/hypervisors', {
        id: 'hv-ram',
        name: 'RAM-poor',
        vcpus: 64,
        ramMb: 3000,
        diskGb: 10_000,
        online: true,
      })
      .expect(201);
    await t
      .as('admin')
      .post('/demo/hypervisors', {
        id: 'hv-disk',
        name: 'Disk-poor',
        vcpus: 64,
        ramMb: 1 << 20,
        diskGb: 60,
        online: true,
      })
      .expect(201);
    const east = await createLocation(t, 'East', ['hv-ram', 'hv-disk']);
    const planId = await createOfferedPlan(t, 'Small', [east]);
    // Each holds one SLOT (2 GB RAM, 40 GB disk) and not a second.
    expect([await place(planId, east), await place(planId, east)].sort()).toEqual(['hv-disk', 'hv-ram']);
    await createInstance(t, 'alice', planId, east).expect(409);
  });

  it('frees the room when an instance is terminated, and only then', async () => {
    await addHypervisor(t, 'hv-a', 1);
    const west = await createLocation(t, 'West', ['hv-a']);
    const planId = await createOfferedPlan(t, 'Small', [west]);
    const { body: first } = await createInstance(t, 'alice', planId, west).expect(201);
    await createInstance(t, 'alice', planId, west).expect(409);

    // Stopped and suspended instances still hold their room.
    await t
      .as('admin')
      .post(`/host/instances/${first.id}/events`, { type: 'stopped', at: '2026-03-10T12:00:00Z' })
      .expect(200);
    await createInstance(t, 'alice', planId, west).expect(409);

    await t.as('alice').delete(`/me/instances/${first.id}`).expect(200);
    expect(await place(planId, west)).toBe('hv-a');
  });

  it('shows capacity, allocation, free room and instance count per hypervisor to admins', async () => {
    await addHypervisor(t, 'hv-a', 4);
    await addHypervisor(t, 'hv-b', 4);
    const north = await createLocation(t, 'North', ['hv-a', 'hv-b']);
    const small = await createOfferedPlan(t, 'Small', [north]);
    const large = await createOfferedPlan(
      t,
      'Large',
      [north],
      { hourlyPrice: '2' },
      {
        vcpus: 4,
        ramMb: 8192,
        diskGb: 100,
      },
    );
    await place(small, north);
    await place(large, north);
    await place(small, north);

    const { body: location } = await t.as('admin').get(`/admin/locations/${north}`).expect(200);
    expect(location.hypervisors[0]).toMatchObject({
      hypervisorId: 'hv-a',
      capacity: { vcpus: 8, ramMb: 1 << 20, diskGb: 100_000 },
      allocated: { vcpus: 4, ramMb: 4096, diskGb: 80 },
      free: { vcpus: 4, ramMb: (1 << 20) - 4096, diskGb: 100_000 - 80 },
      instanceCount: 2,
      provisioningCount: 0,
    });
    expect(location.hypervisors[1]).toMatchObject({ hypervisorId: 'hv-b', allocated: { vcpus: 4 }, instanceCount: 1 });
    const { body: all } = await t.as('admin').get('/admin/hypervisors').expect(200);
    expect(all.find((h: { hypervisorId: string }) => h.hypervisorId === 'hv-b')).toMatchObject({
      allocated: { vcpus: 4, ramMb: 8192, diskGb: 100 },
      free: { vcpus: 4 },
      instanceCount: 1,
    });
  });

  it('counts instances the host registered on a hypervisor itself', async () => {
    await addHypervisor(t, 'hv-a', 2);
    const north = await createLocation(t, 'North', ['hv-a']);
    const planId = await createOfferedPlan(t, 'Small', [north]);
    await t
      .as('admin')
      .post('/host/instances', {
        id: 'vm-host',
        userId: 'bob',
        planId,
        locationId: north,
        hypervisorId: 'hv-a',
        name: 'vm-host',
        at: '2026-03-10T11:00:00Z',
      })
      .expect(201);
    await place(planId, north);
    await createInstance(t, 'alice', planId, north).expect(409);
    expect((await instanceCounts(t, north))['hv-a']).toBe(2);
  });

  it('marks a location without room for the plan in the catalog', async () => {
    await addHypervisor(t, 'hv-a', 1);
    await addHypervisor(t, 'hv-b', 5);
    const full = await createLocation(t, 'Full', ['hv-a']);
    const roomy = await createLocation(t, 'Roomy', ['hv-b']);
    const planId = await createOfferedPlan(t, 'Small', [full, roomy]);
    const capacity = async () =>
      Object.fromEntries(
        (await t.as('alice').get(`/catalog/locations?planId=${planId}`).expect(200)).body.map(
          (l: { name: string; hasCapacity: boolean }) => [l.name, l.hasCapacity],
        ),
      );
    expect(await capacity()).toEqual({ Full: true, Roomy: true });
    const { body } = await createInstance(t, 'alice', planId, full).expect(201);
    expect(await capacity()).toEqual({ Full: false, Roomy: true });
    await t.as('alice').delete(`/me/instances/${body.id}`).expect(200);
    expect(await capacity()).toEqual({ Full: true, Roomy: true });
  });
});
