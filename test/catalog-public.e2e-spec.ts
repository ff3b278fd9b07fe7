import { DemoHypervisorInventory } from '../src/demo/demo-ports';
import { startTestApp, TestApp } from './support/test-app';

type Item = { id: number };
const ids = (items: Item[]) => items.map((item) => item.id);

describe('catalog for signed-in users', () => {
  let t: TestApp;
  let inventory: DemoHypervisorInventory;
  const admin = () => t.as('admin');
  const create = async (path: string, body: object) => (await admin().post(path, body).expect(201)).body;
  const members = (location: Item, hypervisorIds: string[]) =>
    admin().put(`/admin/locations/${location.id}/hypervisors`, { hypervisorIds }).expect(200);
  const hasCapacity = async (query = '') => {
    const { body } = await t.as('alice').get(`/catalog/locations${query}`).expect(200);
    return Object.fromEntries(body.map((l: { slug: string; hasCapacity: boolean }) => [l.slug, l.hasCapacity]));
  };

  let compute: Item, budget: Item, hidden: Item;
  let big: Item, small: Item, second: Item, disabledPlan: Item, hiddenGroupPlan: Item, ramHungry: Item, huge: Item;
  let roomy: Item, offline: Item, maintenance: Item, empty: Item, closed: Item;

  beforeAll(async () => {
    t = await startTestApp();
    inventory = t.app.get(DemoHypervisorInventory);
    inventory.upsert({ id: 'hv-roomy', name: 'Roomy', vcpus: 16, ramMb: 32_768, diskGb: 1_000, online: true });
    inventory.upsert({ id: 'hv-tiny', name: 'Tiny', vcpus: 2, ramMb: 2_048, diskGb: 50, online: true });
    inventory.upsert({ id: 'hv-down', name: 'Down', vcpus: 64, ramMb: 262_144, diskGb: 8_000, online: false });
    inventory.upsert({ id: 'hv-maint', name: 'Maint', vcpus: 64, ramMb: 262_144, diskGb: 8_000, online: true });

    budget = await create('/admin/plan-groups', { name: 'Budget', slug: 'budget', sortOrder: 2 });
    compute = await create('/admin/plan-groups', { name: 'Compute', slug: 'compute', sortOrder: 1 });
    hidden = await create('/admin/plan-groups', { name: 'Hidden', slug: 'hidden', enabled: false });

    roomy = await create('/admin/locations', { name: 'Roomy DC', slug: 'roomy', sortOrder: 1 });
    offline = await create('/admin/locations', { name: 'Offline DC', slug: 'offline', sortOrder: 2 });
    maintenance = await create('/admin/locations', { name: 'Maintenance DC', slug: 'maintenance', sortOrder: 3 });
    empty = await create('/admin/locations', { name: 'Empty DC', slug: 'empty', sortOrder: 4 });
    closed = await create('/admin/locations', { name: 'Closed DC', slug: 'closed', enabled: false });
    await members(roomy, ['hv-tiny', 'hv-roomy']);
    await members(offline, ['hv-down']);
    await members(maintenance, ['hv-maint']);
    await admin().patch('/admin/hypervisors/hv-maint', { enabled: false }).expect(200);

    const everywhere = [roomy.id, offline.id, maintenance.id, empty.id, closed.id];
    const spec = (vcpus: number, ramMb: number, diskGb: number) => ({ vcpus, ramMb, diskGb });
    big = await create('/admin/plans', {
      groupId: compute.id,
      name: 'Big',
      slug: 'big',
      ...spec(8, 16_384, 400),
      hourlyPrice: '2',
      monthlyPrice: '1000',
      locationIds: everywhere,
      sortOrder: 2,
    });
    small = await create('/admin/plans', {
      groupId: compute.id,
      name: 'Small',
      slug: 'small',
      ...spec(1, 1_024, 25),
      monthlyPrice: '300',
      suspendedHourlyPrice: '0.5',
      locationIds: [closed.id, empty.id, roomy.id],
      sortOrder: 1,
    });
    second = await create('/admin/plans', {
      groupId: budget.id,
      name: 'Second',
      slug: 'second',
      ...spec(1, 512, 10),
      hourlyPrice: '1.5',
      stoppedHourlyPrice: '0.1',
    });
    disabledPlan = await create('/admin/plans', {
      groupId: compute.id,
      name: 'Off',
      slug: 'off',
      ...spec(1, 512, 10),
      hourlyPrice: '1',
      enabled: false,
    });
    hiddenGroupPlan = await create('/admin/plans', {
      groupId: hidden.id,
      name: 'In hidden group',
      slug: 'in-hidden',
      ...spec(1, 512, 10),
      hourlyPrice: '1',
    });
    ramHungry = await create('/admin/plans', {
      groupId: budget.id,
      name: 'RAM hungry',
      slug: 'ram-hungry',
      ...spec(1, 65_536, 10),
      hourlyPrice: '1',
      locationIds: everywhere,
    });
    huge = await create('/admin/plans', {
      groupId: budget.id,
      name: 'Huge',
      slug: 'huge',
      ...spec(128, 1_048_576, 100_000),
      hourlyPrice: '100',
      locationIds: everywhere,
    });
  });
  afterAll(() => t.close());

  it('answers 401 without a user', async () => {
    for (const path of ['/catalog/plan-groups', '/catalog/plans', '/catalog/locations']) {
      await t.anonymous().get(`/cloud-billing${path}`).expect(401);
    }
  });

  it('lists the enabled plan groups in order', async () => {
    const { body } = await t.as('alice').get('/catalog/plan-groups').expect(200);
    expect(body).toEqual([
      { id: compute.id, name: 'Compute', slug: 'compute', description: null, sortOrder: 1 },
      { id: budget.id, name: 'Budget', slug: 'budget', description: null, sortOrder: 2 },
    ]);
  });

  it('lists enabled plans of enabled groups in order, priced in the default currency', async () => {
    const { body } = await t.as('alice').get('/catalog/plans').expect(200);
    expect(ids(body)).toEqual([second.id, ramHungry.id, huge.id, small.id, big.id]);
    expect(ids(body)).not.toContain(disabledPlan.id);
    expect(ids(body)).not.toContain(hiddenGroupPlan.id);
    expect(body.find((p: Item) => p.id === big.id)).toEqual({
      id: big.id,
      groupId: compute.id,
      name: 'Big',
      slug: 'big',
      vcpus: 8,
      ramMb: 16_384,
      diskGb: 400,
      bandwidthGb: 0,
      gpus: 0,
      hourlyPrice: { credits: '2', amount: '0.02', currency: 'USD', formatted: '$0.02' },
      monthlyPrice: { credits: '1000', amount: '10.00', currency: 'USD', formatted: '$10.00' },
      stoppedHourlyPrice: { credits: '2', amount: '0.02', currency: 'USD', formatted: '$0.02' },
      suspendedHourlyPrice: { credits: '0', amount: '0.00', currency: 'USD', formatted: '$0.00' },
      // Only the enabled locations, in their order.
      locationIds: [roomy.id, offline.id, maintenance.id, empty.id],
      sortOrder: 2,
    });
    expect(body.find((p: Item) => p.id === small.id)).toMatchObject({
      hourlyPrice: null,
      monthlyPrice: { credits: '300', formatted: '$3.00' },
      stoppedHourlyPrice: null,
      suspendedHourlyPrice: { credits: '0.5', amount: '0.005', formatted: '$0.005' },
      locationIds: [roomy.id, empty.id],
    });
    // Prices per hour show the decimals they need; 1.5 credits at $0.01 is not $0.02.
    expect(body.find((p: Item) => p.id === second.id)).toMatchObject({
      hourlyPrice: { credits: '1.5', amount: '0.015', currency: 'USD', formatted: '$0.015' },
      stoppedHourlyPrice: { credits: '0.1', amount: '0.001', formatted: '$0.001' },
    });
  });

  it('filters plans by group', async () => {
    const { body } = await t.as('alice').get(`/catalog/plans?groupId=${compute.id}`).expect(200);
    expect(ids(body)).toEqual([small.id, big.id]);
  });

  it('shows prices in the currency the user picked, and only to that user', async () => {
    await admin()
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.0092', suffix: ' EUR' })
      .expect(201);
    await t.as('bob').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const bobs = (await t.as('bob').get(`/catalog/plans?groupId=${compute.id}`).expect(200)).body;
    expect(bobs[1].monthlyPrice).toEqual({ credits: '1000', amount: '9.20', currency: 'EUR', formatted: '9.20 EUR' });
    expect(bobs[1].hourlyPrice).toEqual({ credits: '2', amount: '0.0184', currency: 'EUR', formatted: '0.0184 EUR' });
    const alices = (await t.as('alice').get(`/catalog/plans?groupId=${compute.id}`).expect(200)).body;
    expect(alices[1].monthlyPrice.currency).toBe('USD');
  });

  it.each([
    ['/catalog/plans?groupId=abc', 400, 'groupId'],
    ['/catalog/plans?groupId=1.5', 400, 'groupId'],
    ['/catalog/plans?groupId=', 400, 'groupId'],
    ['/catalog/plans?colour=red', 400, 'colour'],
    ['/catalog/locations?planId=x1', 400, 'planId'],
    ['/catalog/locations?planId=-3', 400, 'planId'],
  ])('answers %s with %d naming %s', async (path, status, field) => {
    const { body } = await t.as('alice').get(path).expect(status);
    expect(body.errors).toContainEqual(expect.objectContaining({ field }));
  });

  it('answers 404 for a group or plan users cannot see', async () => {
    await t.as('alice').get('/catalog/plans?groupId=999999').expect(404);
    await t.as('alice').get(`/catalog/plans?groupId=${hidden.id}`).expect(404);
    await t.as('alice').get('/catalog/locations?planId=999999').expect(404);
    await t.as('alice').get(`/catalog/locations?planId=${disabledPlan.id}`).expect(404);
    await t.as('alice').get(`/catalog/locations?planId=${hiddenGroupPlan.id}`).expect(404);
  });

  it('lists enabled locations in order; with capacity where an enabled, online member exists', async () => {
    const { body } = await t.as('alice').get('/catalog/locations').expect(200);
    expect(body[0]).toEqual({
      id: roomy.id,
      name: 'Roomy DC',
      slug: 'roomy',
      description: null,
      sortOrder: 1,
      hasCapacity: true,
    });
    expect(await hasCapacity()).toEqual({ roomy: true, offline: false, maintenance: false, empty: false });
    expect(ids(body)).toEqual([roomy.id, offline.id, maintenance.id, empty.id]);
  });

  it('lists only the locations offering a plan, with room for it on a usable hypervisor', async () => {
    // Big fits Roomy (not Tiny); the offline and the maintenance hosts would fit it but are skipped.
    expect(await hasCapacity(`?planId=${big.id}`)).toEqual({
      roomy: true,
      offline: false,
      maintenance: false,
      empty: false,
    });
    expect(await hasCapacity(`?planId=${small.id}`)).toEqual({ roomy: true, empty: false });
  });

  it('has no capacity for a plan larger than every usable hypervisor, even in one resource', async () => {
    expect(await hasCapacity(`?planId=${huge.id}`)).toEqual({
      roomy: false,
      offline: false,
      maintenance: false,
      empty: false,
    });
    expect((await hasCapacity(`?planId=${ramHungry.id}`)).roomy).toBe(false);
  });

  it('follows the fleet: a host coming online or out of maintenance gives room', async () => {
    inventory.upsert({ id: 'hv-down', name: 'Down', vcpus: 64, ramMb: 262_144, diskGb: 8_000, online: true });
    await admin().patch('/admin/hypervisors/hv-maint', { enabled: true }).expect(200);
    expect(await hasCapacity(`?planId=${ramHungry.id}`)).toEqual({
      roomy: false,
      offline: true,
      maintenance: true,
      empty: false,
    });
    inventory.upsert({ id: 'hv-roomy', name: 'Roomy', vcpus: 4, ramMb: 32_768, diskGb: 1_000, online: true });
    expect((await hasCapacity(`?planId=${big.id}`)).roomy).toBe(false);
  });
});
