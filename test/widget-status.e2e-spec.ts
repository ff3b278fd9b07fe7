import { createPlan, registerInstance, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const usd = (credits: string, formatted: string) => ({
  credits,
  amount: formatted.slice(1),
  currency: 'USD',
  formatted,
});

/**
 * GET /me/widget through a customer's day: thresholds low 10, negative 0, suspension below -5; one instance at
 * 4 credits an hour (1 credit = $0.01). The clock starts at 2026-03-10T12:00Z; each move runs billing.
 */
describe('GET /me/widget', () => {
  let t: TestApp;
  const widget = async (user = 'alice') => (await t.as(user).get('/me/widget').expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', { lowBalanceThreshold: '10', negativeBalanceThreshold: '0', suspensionThreshold: '-5' })
      .expect(200);
    const plan = await createPlan(t, { hourlyPrice: '4' });
    await topUp(t, 'alice', '30', 'alice-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', plan, '2026-03-10T12:00:00Z');
  });
  afterAll(() => t.close());

  it('starts ok, with the burn rate and the runway to the suspension threshold', async () => {
    expect(await widget()).toEqual({
      month: '2026-03',
      currency: 'USD',
      balance: usd('30', '$0.30'),
      // All of it paid: no grant.
      credit: { paid: usd('30', '$0.30'), promotional: usd('0', '$0.00'), nextExpiry: null },
      monthToDate: usd('0', '$0.00'),
      burnRatePerHour: usd('4', '$0.04'),
      burnRateParts: { instances: usd('4', '$0.04'), rules: usd('0', '$0.00'), counters: usd('0', '$0.00') },
      // No counter was used: nothing of the burn rate is an estimate.
      burnRateNote: null,
      runwayHours: 8.8, // (30 − (−5)) / 4 = 8.75
      runway: 'about 9 hours left',
      status: 'ok',
      largestCosts: [],
      links: { usage: '/panel/usage', topUp: '/panel/top-up' },
      budget: null,
    });
  });

  it('counts the month to date as hours are settled', async () => {
    await setClock(t, '2026-03-10T16:00:00Z');
    expect(await widget()).toMatchObject({
      balance: { credits: '14' },
      monthToDate: usd('16', '$0.16'),
      status: 'ok',
      runwayHours: 4.8,
      largestCosts: [{ instanceId: 'vm-1', name: 'vm-1', cost: { credits: '16' } }],
    });
  });

  it('turns low at the low threshold', async () => {
    await setClock(t, '2026-03-10T17:00:00Z');
    expect(await widget()).toMatchObject({
      balance: { credits: '10' },
      status: 'low',
      runwayHours: 3.8,
      runway: 'about 4 hours left',
    });
  });

  it('turns negative at zero, still counting down to the suspension threshold', async () => {
    await setClock(t, '2026-03-10T20:00:00Z');
    expect(await widget()).toMatchObject({
      balance: { credits: '-2' },
      status: 'negative',
      runwayHours: 0.8,
      runway: 'less than an hour left',
    });
  });

  it('shows suspended, with nothing burning, once billing suspends the instances', async () => {
    await setClock(t, '2026-03-10T21:00:00Z');
    expect(await widget()).toMatchObject({
      balance: { credits: '-6' },
      monthToDate: { credits: '36' },
      status: 'suspended',
      burnRatePerHour: usd('0', '$0.00'),
      runwayHours: null,
      runway: null,
    });
  });

  it('is ok again after a top-up resumes the instance', async () => {
    await topUp(t, 'alice', '50', 'alice-2').expect(201);
    expect(await widget()).toMatchObject({
      balance: { credits: '44' },
      status: 'ok',
      burnRatePerHour: { credits: '4' },
      runwayHours: 12.3,
      runway: 'about 12 hours left',
    });
  });

  it('has no runway for a user with nothing running, and shows only their own figures', async () => {
    await topUp(t, 'bob', '20', 'bob-1').expect(201);
    expect(await widget('bob')).toMatchObject({
      balance: { credits: '20' },
      monthToDate: { credits: '0' },
      burnRatePerHour: { credits: '0' },
      runwayHours: null,
      runway: null,
      status: 'ok',
      largestCosts: [],
    });
  });

  it('needs a user', async () => {
    await t.anonymous().get('/cloud-billing/me/widget').expect(401);
    await t.anonymous().get('/cloud-billing/me/widget.html').expect(401).expect('Content-Type', /json/);
  });
});
