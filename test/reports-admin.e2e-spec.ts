import { createPlan, registerInstance, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

interface Row {
  userId?: string;
  instanceId: string;
  hours: number;
  cost: { credits: string; currency: string };
}

/** Admins read one user's usage or everyone's, in their own display currency. */
describe('GET /admin/usage', () => {
  let t: TestApp;
  const admin = () => t.as('admin');

  beforeAll(async () => {
    t = await startTestApp();
    await admin()
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.5', prefix: '€', decimals: 2 })
      .expect(201);
    await admin()
      .post('/admin/currencies', { code: 'GBP', name: 'Pound', valuePerCredit: '0.25', prefix: '£', decimals: 2 })
      .expect(201);
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const plan = await createPlan(t, { hourlyPrice: '2' });
    await topUp(t, 'alice', '100', 'alice-1').expect(201);
    await topUp(t, 'bob', '100', 'bob-1').expect(201);
    await registerInstance(t, 'vm-a1', 'alice', plan, '2026-03-10T12:00:00Z');
    await registerInstance(t, 'vm-b1', 'bob', plan, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T13:00:00Z');
    await registerInstance(t, 'vm-a2', 'alice', plan, '2026-03-10T13:00:00Z');
    await setClock(t, '2026-03-10T15:00:00Z');
  });
  afterAll(() => t.close());

  const summary = (rows: Row[]) => rows.map((r) => [r.userId, r.instanceId, r.hours, r.cost.credits]);

  it('shows every user without userId, each row saying whose it is, in the default currency', async () => {
    const { body } = await admin().get('/admin/usage').expect(200);
    expect(body).toMatchObject({ month: '2026-03', currency: 'USD', userId: null });
    expect(summary(body.rows)).toEqual([
      ['alice', 'vm-a1', 3, '6'],
      ['alice', 'vm-a2', 2, '4'],
      ['bob', 'vm-b1', 3, '6'],
    ]);
    expect(body.total).toEqual({ credits: '16', amount: '0.16', currency: 'USD', formatted: '$0.16' });
    expect(body.daily).toHaveLength(10);
    expect(body.daily[9]).toMatchObject({ date: '2026-03-10', cost: { credits: '16' } });
  });

  it("shows one user's report with the same rows the user sees, in the admin's currency", async () => {
    const own = (await t.as('alice').get('/me/usage').expect(200)).body;
    const { body } = await admin().get('/admin/usage?userId=alice').expect(200);
    expect(body).toMatchObject({ userId: 'alice', currency: 'USD', total: { credits: '10', formatted: '$0.10' } });
    expect(own).toMatchObject({ currency: 'EUR', total: { credits: '10', formatted: '€5.00' } });
    expect(body.rows.every((r: Row) => r.userId === undefined)).toBe(true);
    expect(summary(body.rows)).toEqual(summary(own.rows));
  });

  it("follows the admin's own currency preference", async () => {
    await admin().patch('/me/preferences', { currency: 'GBP' }).expect(200);
    const { body } = await admin().get('/admin/usage?userId=bob').expect(200);
    expect(body).toMatchObject({ currency: 'GBP', total: { credits: '6', formatted: '£1.50' } });
    await admin().patch('/me/preferences', { currency: null }).expect(200);
  });

  it('exports one user or everyone as CSV, named accordingly', async () => {
    const all = await admin().get('/admin/usage.csv').expect(200);
    expect(all.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(all.headers['content-disposition']).toBe('attachment; filename="usage-2026-03-all-users.csv"');
    const lines = all.text.split('\r\n');
    expect(lines[0]).toMatch(/^User ID,Instance ID,Instance,Kind,Plan,/);
    expect(lines.slice(1, 4).map((line) => line.split(',')[0])).toEqual(['alice', 'alice', 'bob']);
    expect(lines[4]).toBe('Total,,,,,,,,,,,,,,0.16,16,');

    const one = await admin().get('/admin/usage.csv?userId=bob&month=2026-03').expect(200);
    expect(one.headers['content-disposition']).toBe('attachment; filename="usage-2026-03-bob.csv"');
    expect(one.text.split('\r\n')[0]).toMatch(/^Instance ID,/);
  });

  it.each([
    ['?userId=not%20a%20user!', 'userId'],
    ['?month=2026-13', 'month'],
    ['?month=2026-04', 'month'],
    ['?user=alice', 'user'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    for (const path of ['/admin/usage', '/admin/usage.csv']) {
      const { body } = await admin().get(`${path}${query}`).expect(400);
      expect(body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it('is for admins only', async () => {
    await t.as('alice').get('/admin/usage?userId=bob').expect(403);
    await t.as('alice').get('/admin/usage.csv').expect(403);
    await t.anonymous().get('/cloud-billing/admin/usage').expect(401);
  });
});
