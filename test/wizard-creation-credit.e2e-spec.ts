import { DataSource } from 'typeorm';
import { DemoProvisioner } from '../src/demo/demo-ports';
import { balanceOf, sendEvent, topUp } from './support/billing-fixtures';
import { addHypervisor, createInstance, createLocation, createOfferedPlan } from './support/placement-fixtures';
import { tableDigests } from './support/table-digests';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z; a credit is $0.01 in the default currency.
describe('credit needed to create', () => {
  let t: TestApp;
  let north: number;
  beforeEach(async () => {
    t = await startTestApp();
    await addHypervisor(t, 'hv-a', 60);
    north = await createLocation(t, 'North', ['hv-a']);
  });
  afterEach(() => t.close());

  const settings = (patch: object) => t.as('admin').patch('/admin/settings', patch);
  const quote = async (planId: number, user = 'alice') =>
    (await t.as(user).post('/me/quote', { planId, locationId: north }).expect(200)).body;
  const member = async () => (await t.as('admin').get(`/admin/locations/${north}`).expect(200)).body.hypervisors[0];

  it('lets an admin set the hours, and refuses anything but a whole number from 0 to 720, naming the field', async () => {
    expect((await settings({ creationCreditHours: 24 }).expect(200)).body.creationCreditHours).toBe(24);
    for (const [value, rule] of [
      [-1, 'min'],
      [721, 'max'],
      [2.5, 'isInt'],
      ['3', 'isInt'],
    ] as const) {
      const { body } = await settings({ creationCreditHours: value }).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field: 'creationCreditHours', rule }));
    }
    expect((await t.as('admin').get('/admin/settings').expect(200)).body.creationCreditHours).toBe(24);
    expect((await settings({ creationCreditHours: 0 }).expect(200)).body.creationCreditHours).toBe(0);
  });

  it('asks for the new plan’s hours and the other instances’ burn, and says how much more is needed', async () => {
    const big = await createOfferedPlan(t, 'Big', [north], { hourlyPrice: '200', stoppedHourlyPrice: '0' });
    const small = await createOfferedPlan(t, 'Small', [north], { hourlyPrice: '150' });
    await topUp(t, 'alice', '500', 'pay-1').expect(201);
    const { body: running } = await createInstance(t, 'alice', big, north, 'big-1').expect(201);

    // One hour (the default): 200 for Big running, 150 for the new Small.
    expect(await quote(small)).toMatchObject({
      creditNeeded: { credits: '350', formatted: '$3.50' },
      creditShortfall: null,
      canCreate: true,
    });

    await settings({ creationCreditHours: 2 }).expect(200);
    const reason =
      'add $2.00 (200 credits) more credit to create this instance: creating needs a balance of 700 credits, ' +
      '2 hours of it and of your other instances';
    expect(await quote(small)).toMatchObject({
      creditNeeded: { credits: '700', formatted: '$7.00' },
      creditShortfall: { credits: '200', amount: '2.00', formatted: '$2.00' },
      canCreate: false,
      reason,
      reasonCode: 'insufficient-credit',
    });
    const before = await tableDigests(t.app.get(DataSource));
    const allocated = (await member()).allocated;
    const { body: refused } = await createInstance(t, 'alice', small, north).expect(402);
    expect(refused).toMatchObject({ message: reason, reasonCode: 'insufficient-credit' });
    // Nothing written, no slot taken, the host never asked.
    expect(await tableDigests(t.app.get(DataSource))).toEqual(before);
    expect((await member()).allocated).toEqual(allocated);
    expect(t.app.get(DemoProvisioner).calls.filter((call) => call.action === 'create')).toHaveLength(1);

    // Stopped, Big bills nothing: only the new Small's two hours count.
    await sendEvent(t, running.id, 'stopped', '2026-03-10T12:00:00Z').expect(200);
    expect(await quote(small)).toMatchObject({ creditNeeded: { credits: '300' }, canCreate: true });
    await createInstance(t, 'alice', small, north).expect(201);
    expect(await balanceOf(t, 'alice')).toBe('500');
  });

  it('shows the amount in the user’s currency', async () => {
    const small = await createOfferedPlan(t, 'Small', [north], { hourlyPrice: '1.5' });
    await t
      .as('admin')
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '2', prefix: '', suffix: ' €' })
      .expect(201);
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    expect(await quote(small)).toMatchObject({
      creditShortfall: { credits: '1.5', formatted: '3.00 €' },
      reason: expect.stringMatching(/^add 3\.00 € \(1\.5 credits\) more credit to create this instance/),
    });
  });

  it('asks a monthly-only plan for its hourly share of a 730-hour month', async () => {
    const monthly = await createOfferedPlan(t, 'Monthly', [north], { hourlyPrice: null, monthlyPrice: '73' });
    await settings({ creationCreditHours: 10 }).expect(200);
    expect(await quote(monthly)).toMatchObject({ creditNeeded: { credits: '1' }, creditShortfall: { credits: '1' } });
  });

  it('with 0 hours keeps the old rule: an empty account creates, a negative one does not', async () => {
    const small = await createOfferedPlan(t, 'Small', [north], { hourlyPrice: '1.5' });
    expect((await quote(small)).reasonCode).toBe('insufficient-credit');
    await settings({ creationCreditHours: 0 }).expect(200);
    expect(await quote(small)).toMatchObject({ creditNeeded: { credits: '0' }, canCreate: true });
    await createInstance(t, 'alice', small, north).expect(201);
    await t
      .as('admin')
      .post('/admin/accounts/bob/credits', { amount: '-1', kind: 'adjustment', note: 'test', reference: 'adj-1' })
      .expect(201);
    expect((await createInstance(t, 'bob', small, north).expect(402)).body.reasonCode).toBe('negative-balance');
  });

  it('lets 50 creations at once through only as far as the credit goes, and charges nothing for creating', async () => {
    // 5 credits, 1.5 an hour each, one hour: 1.5, then 3, then 4.5 pass; a fourth would need 6.
    const small = await createOfferedPlan(t, 'Small', [north], { hourlyPrice: '1.5' });
    await topUp(t, 'alice', '5', 'pay-1').expect(201);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => createInstance(t, 'alice', small, north, `vm-${i}`)),
    );
    expect(responses.filter((response) => response.status === 201).length).toBe(3);
    const refused = responses.filter((response) => response.status !== 201);
    expect(new Set(refused.map((response) => `${response.status} ${response.body.message}`))).toEqual(
      new Set([
        '402 add $0.01 (1 credit) more credit to create this instance: creating needs a balance of 6 credits, ' +
          '1 hour of it and of your other instances',
      ]),
    );
    expect((await t.as('alice').get('/me/instances').expect(200)).body).toHaveLength(3);
    expect(await member()).toMatchObject({ instanceCount: 3, provisioningCount: 0, allocated: { vcpus: 6 } });
    expect(t.app.get(DemoProvisioner).calls.filter((call) => call.action === 'create')).toHaveLength(3);
    expect(await balanceOf(t, 'alice')).toBe('5');
  });

  it('holds 50 creations in two locations at once to the same credit: the account, not the location, decides', async () => {
    // Each location places under its own lock: only the account's lock stands between the two halves.
    await addHypervisor(t, 'hv-b', 60);
    const south = await createLocation(t, 'South', ['hv-b']);
    const small = await createOfferedPlan(t, 'Small', [north, south], { hourlyPrice: '1.5' });
    await topUp(t, 'alice', '5', 'pay-1').expect(201);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => createInstance(t, 'alice', small, i % 2 ? south : north, `vm-${i}`)),
    );
    expect(responses.filter((response) => response.status === 201).length).toBe(3);
    expect(new Set(responses.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.reasonCode}`))).toEqual(
      new Set(['402 insufficient-credit']),
    );
    expect((await t.as('alice').get('/me/instances').expect(200)).body).toHaveLength(3);
    expect(await balanceOf(t, 'alice')).toBe('5');
  });
});
