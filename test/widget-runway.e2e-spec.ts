import { DemoNotifier } from '../src/demo/demo-ports';
import { createPlan, registerInstance, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The burn rate and the runway across a plan's monthly cap: 4 credits an hour, capped at 10 a month. Thresholds:
 * low 10, negative 0, suspension below -5, runway warning within 24 hours. The clock starts at 2026-03-10T12:00Z.
 */
describe('runway across the monthly cap', () => {
  let t: TestApp;
  let mails: () => string[];
  const widget = async (user = 'alice') => (await t.as(user).get('/me/widget').expect(200)).body;

  beforeEach(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', {
        lowBalanceThreshold: '10',
        negativeBalanceThreshold: '0',
        suspensionThreshold: '-5',
        runwayWarningHours: 24,
      })
      .expect(200);
    const notifier = t.app.get(DemoNotifier);
    mails = () => notifier.delivered.map((m) => `${m.userId}:${m.kind}`);
    const plan = await createPlan(t, { hourlyPrice: '4', monthlyPrice: '10' });
    await topUp(t, 'alice', '30', 'alice-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', plan, '2026-03-10T12:00:00Z');
  });
  afterEach(() => t.close());

  it('burns only what is left of the cap close to it', async () => {
    await setClock(t, '2026-03-10T14:00:00Z'); // 8 charged, 2 left of the cap
    expect(await widget()).toMatchObject({
      balance: { credits: '22' },
      burnRatePerHour: { credits: '2' },
      // 2 more this month, then 10 in April and 10 in May: the last 5 of the 27 above -5 go 1.25 hours into June.
      runwayHours: 1979.3,
      runway: 'about 82 days left',
    });
  });

  it('burns nothing at the cap, and counts the runway from the next month', async () => {
    await setClock(t, '2026-03-10T15:00:00Z'); // 4 + 4 + 2: capped
    expect(await widget()).toMatchObject({
      balance: { credits: '20' },
      monthToDate: { credits: '10' },
      burnRatePerHour: { credits: '0' },
      runwayHours: 1978.3, // 25 above -5: 10 in April, 10 in May, 5 in June's first 1.25 hours
      runway: 'about 82 days left',
      status: 'ok',
    });
  });

  it('sends no runway warning while the cap holds the credit, and warns once the month turns', async () => {
    await t
      .as('admin')
      .post('/admin/accounts/alice/credits', {
        amount: '-18',
        reference: 'take-back',
        kind: 'adjustment',
        note: 'test',
      })
      .expect(201);
    await setClock(t, '2026-03-10T13:00:00Z'); // 8 left: 3.25 hours at 4 an hour, but only 6 more until April
    expect(mails()).toEqual(['alice:low-balance']);
    await setClock(t, '2026-03-10T15:00:00Z'); // 12 − 10 = 2 left, capped until April
    expect(await widget()).toMatchObject({ balance: { credits: '2' }, burnRatePerHour: { credits: '0' } });
    expect(mails()).not.toContain('alice:runway-warning');
    await setClock(t, '2026-04-01T00:00:00Z'); // the cap starts again: 7 above -5 at 4 an hour
    expect(await widget()).toMatchObject({ burnRatePerHour: { credits: '4' }, runwayHours: 1.8 });
    // Thresholds are evaluated for the accounts an hour charged: April's first hour, settled at 01:00.
    await setClock(t, '2026-04-01T01:00:00Z');
    expect(mails()).toEqual(['alice:low-balance', 'alice:negative-balance', 'alice:runway-warning']);
  });
});

describe('a user who never had credit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // A free instance gives dave an account row through billing, yet no ledger entry.
    const free = await createPlan(t, { hourlyPrice: '0' });
    await registerInstance(t, 'vm-free', 'dave', free, '2026-03-10T12:00:00Z');
    await topUp(t, 'alice', '30', 'alice-1').expect(201);
    await setClock(t, '2026-03-10T14:00:00Z');
  });
  afterAll(() => t.close());

  it('is shown "no credit yet", not negative', async () => {
    expect((await t.as('carol').get('/me/widget').expect(200)).body).toMatchObject({
      balance: { credits: '0' },
      status: 'no_credit',
    });
    expect((await t.as('carol').get('/me/account').expect(200)).body.status).toBe('no_credit');
    expect((await t.as('dave').get('/me/account').expect(200)).body.status).toBe('no_credit');
    const html = (await t.as('carol').get('/me/widget.html').expect(200)).text;
    expect(html).toContain('class="cbw cbw--no_credit"');
    expect(html).toMatch(/Account status: <\/span>No credit yet/);
  });

  it('is listed under its own status, and under no other', async () => {
    const list = async (status: string) =>
      (await t.as('admin').get(`/admin/accounts?status=${status}`).expect(200)).body.map(
        (a: { userId: string; status: string }) => `${a.userId}:${a.status}`,
      );
    expect(await list('no_credit')).toEqual(['dave:no_credit']);
    expect(await list('negative')).toEqual([]);
    expect(await list('ok')).toEqual(['alice:ok']);
  });
});
