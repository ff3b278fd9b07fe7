import { DataSource } from 'typeorm';
import { sendEvent, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * GET /me/usage across a month boundary, with a resize, in the user's preferred currency (1 credit = €0.50).
 * The story: web "1", prod runs on Small (1.5/h) from March 31 20:00 UTC, moves to Large (4/h) at 22:00 and
 * keeps running into April; db joins on Small at April 1 01:00. Bob runs his own instance alongside.
 */
describe('GET /me/usage', () => {
  let t: TestApp;
  const web = 'web "1", prod';

  beforeAll(async () => {
    t = await startTestApp({ clockStart: new Date('2026-03-31T20:00:00Z') });
    const admin = t.as('admin');
    await admin
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.5', prefix: '€', decimals: 2 })
      .expect(201);
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const location = (await admin.post('/admin/locations', { name: 'Amsterdam', slug: 'ams' }).expect(201)).body;
    const group = (await admin.post('/admin/plan-groups', { name: 'General', slug: 'general' }).expect(201)).body;
    const plan = async (name: string, hourlyPrice: string) =>
      (
        await admin
          .post('/admin/plans', {
            groupId: group.id,
            name,
            slug: name.toLowerCase(),
            vcpus: 1,
            ramMb: 1024,
            diskGb: 20,
            hourlyPrice,
          })
          .expect(201)
      ).body.id as number;
    const small = await plan('Small', '1.5');
    const large = await plan('Large', '4');
    await topUp(t, 'alice', '1000', 'alice-1').expect(201);
    await topUp(t, 'bob', '1000', 'bob-1').expect(201);
    const register = (id: string, userId: string, name: string, planId: number, at: string, locationId?: number) =>
      admin.post('/host/instances', { id, userId, name, planId, at, locationId }).expect(201);
    await register('vm-web', 'alice', web, small, '2026-03-31T20:00:00Z', location.id);
    await register('vm-bob', 'bob', 'bob-only', small, '2026-03-31T20:00:00Z', location.id);

    await setClock(t, '2026-03-31T22:00:00Z');
    await sendEvent(t, 'vm-web', 'resized', '2026-03-31T22:00:00Z', large).expect(200);
    await setClock(t, '2026-04-01T01:00:00Z');
    await register('vm-db', 'alice', 'db', small, '2026-04-01T01:00:00Z');
    await setClock(t, '2026-04-01T03:00:00Z');
  });
  afterAll(() => t.close());

  const usage = async (query = '', user = 'alice') => (await t.as(user).get(`/me/usage${query}`).expect(200)).body;
  const eur = (amount: string, credits: string) => ({
    credits,
    amount,
    currency: 'EUR',
    formatted: `€${amount}`,
  });

  /** A day of instances only: all of its cost is theirs, none of it rules' or counters'. */
  const day = (date: string, cost: ReturnType<typeof eur>) => ({
    date,
    cost,
    instances: cost,
    rules: eur('0.00', '0'),
    counters: eur('0.00', '0'),
  });

  it('reports an earlier month: one row per instance and plan, the total and every day of the month', async () => {
    const march = await usage('?month=2026-03');
    expect(march).toMatchObject({ month: '2026-03', currency: 'EUR', total: eur('5.50', '11') });
    expect(march.rows).toEqual([
      {
        kind: 'instance',
        instanceId: 'vm-web',
        name: web,
        planId: expect.any(Number),
        plan: 'Small',
        location: 'Amsterdam',
        hourlyRate: eur('0.75', '1.5'),
        hours: 2,
        cost: eur('1.50', '3'),
        adjusted: false,
      },
      {
        kind: 'instance',
        instanceId: 'vm-web',
        name: web,
        planId: expect.any(Number),
        plan: 'Large',
        location: 'Amsterdam',
        hourlyRate: eur('2.00', '4'),
        hours: 2,
        cost: eur('4.00', '8'),
        adjusted: false,
      },
    ]);
    expect(march.adjustments).toEqual([]);
    expect(march.daily).toHaveLength(31);
    expect(march.daily[0]).toEqual(day('2026-03-01', eur('0.00', '0')));
    expect(march.daily[30]).toEqual(day('2026-03-31', eur('5.50', '11')));
    expect(march.daily.filter((d: { cost: { credits: string } }) => d.cost.credits !== '0')).toHaveLength(1);
  });

  it('defaults to the current month, with its days so far', async () => {
    const april = await usage();
    expect(april).toMatchObject({ month: '2026-04', currency: 'EUR', total: eur('7.50', '15') });
    expect(april.rows.map((r: { name: string; plan: string; hours: number }) => [r.name, r.plan, r.hours])).toEqual([
      ['db', 'Small', 2],
      [web, 'Large', 3],
    ]);
    expect(april.rows[0]).toMatchObject({ location: null, cost: eur('1.50', '3') });
    expect(april.daily).toEqual([day('2026-04-01', eur('7.50', '15'))]);
    expect(await usage('?month=2026-04')).toEqual(april);
  });

  it('shows the hourly rate with the decimals it needs, and the cost and total to the cent', async () => {
    // Bob sees dollars (1 credit = $0.01): Small's 1.5 credits an hour is $0.015, not $0.02.
    const bob = await usage('', 'bob');
    expect(bob.rows).toEqual([
      expect.objectContaining({
        plan: 'Small',
        hourlyRate: { credits: '1.5', amount: '0.015', currency: 'USD', formatted: '$0.015' },
        hours: 3,
        // 4.5 credits is $0.045, rounded once to the cent.
        cost: { credits: '4.5', amount: '0.05', currency: 'USD', formatted: '$0.05' },
      }),
    ]);
    expect(bob.total).toEqual({ credits: '4.5', amount: '0.05', currency: 'USD', formatted: '$0.05' });
  });

  it("never shows another user's usage", async () => {
    const bob = await usage('?month=2026-03', 'bob');
    expect(bob.currency).toBe('USD');
    expect(bob.rows.map((r: { instanceId: string }) => r.instanceId)).toEqual(['vm-bob']);
    expect(bob.total.credits).toBe('6');
    const alice = [...(await usage('?month=2026-03')).rows, ...(await usage()).rows];
    expect(alice.map((r: { instanceId: string }) => r.instanceId)).not.toContain('vm-bob');
    // Nobody's month: empty, with its days.
    const carol = await usage('?month=2026-03', 'carol');
    expect(carol).toMatchObject({ rows: [], total: { credits: '0' } });
    expect(carol.daily).toHaveLength(31);
  });

  it.each([
    ['?month=2026-13', 'matches'],
    ['?month=abc', 'matches'],
    ['?month=2026-4', 'matches'],
    ['?month=2026-00', 'matches'],
    ['?month=', 'matches'],
    ['?month=2026-03&month=2026-04', 'matches'],
    ['?month=2026-05', 'notInFuture'],
    ['?month=2027-01', 'notInFuture'],
  ])('refuses %s with a 400 naming month', async (query, rule) => {
    const { body } = await t.as('alice').get(`/me/usage${query}`).expect(400);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'month', rule })]);
    expect(body.message).toMatch(/^month: /);
    if (rule === 'notInFuture') expect(body.message).toContain('(2026-04)');
    await t
      .as('alice')
      .get(`/me/usage.csv${query}`)
      .expect(400)
      .expect('Content-Type', /application\/json/);
  });

  it('refuses unknown query parameters and anonymous readers', async () => {
    const { body } = await t.as('alice').get('/me/usage?userId=bob').expect(400);
    expect(body.errors[0].field).toBe('userId');
    await t.anonymous().get('/cloud-billing/me/usage').expect(401);
  });

  it('is served from the rollups: the report stays the same without the hourly rows', async () => {
    const before = [await usage('?month=2026-03'), await usage()];
    const dataSource = t.app.get(DataSource);
    const [{ count }] = await dataSource.query('SELECT COUNT(*) AS count FROM cloud_billing_usage');
    expect(Number(count)).toBe(16);
    await dataSource.query('DELETE FROM cloud_billing_usage');
    expect([await usage('?month=2026-03'), await usage()]).toEqual(before);
  });
});

describe('GET /me/usage in a billing time zone ahead of UTC', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ clockStart: new Date('2026-03-31T20:00:00Z') });
    await t
      .as('admin')
      .patch('/admin/settings', { timeZone: 'Europe/Berlin', suspensionThreshold: '-1000' })
      .expect(200);
    const group = (await t.as('admin').post('/admin/plan-groups', { name: 'G', slug: 'g' }).expect(201)).body;
    const plan = await t
      .as('admin')
      .post('/admin/plans', {
        groupId: group.id,
        name: 'One',
        slug: 'one',
        vcpus: 1,
        ramMb: 1024,
        diskGb: 20,
        hourlyPrice: '1',
      })
      .expect(201);
    await t
      .as('admin')
      .post('/host/instances', {
        id: 'vm-1',
        userId: 'alice',
        name: 'vm-1',
        planId: plan.body.id,
        at: '2026-03-31T20:00:00Z',
      })
      .expect(201);
    await setClock(t, '2026-04-01T00:00:00Z');
  });
  afterAll(() => t.close());

  it('files each hour under the local day and month it started in', async () => {
    // 20:00 and 21:00 UTC are March 31 in Berlin (UTC+2); 22:00 and 23:00 UTC are already April 1 there.
    const march = (await t.as('alice').get('/me/usage?month=2026-03').expect(200)).body;
    expect(march.rows.map((r: { hours: number }) => r.hours)).toEqual([2]);
    expect(march.daily.at(-1)).toMatchObject({ date: '2026-03-31', cost: { credits: '2' } });
    const april = (await t.as('alice').get('/me/usage').expect(200)).body;
    expect(april).toMatchObject({ month: '2026-04', total: { credits: '2' } });
    expect(april.daily).toEqual([
      expect.objectContaining({ date: '2026-04-01', cost: expect.objectContaining({ credits: '2' }) }),
    ]);
  });
});
