import { createPlan, registerInstance, setClock, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * In Asia/Kolkata (UTC+05:30) every day, and so every month, begins at 18:30 UTC: inside an hour. April 1
 * begins at 2026-03-31T18:30:00Z. Each part of that hour counts toward its own day and month.
 */
describe('billing in a :30 time zone', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ clockStart: new Date('2026-03-31T12:00:00Z') });
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000', timeZone: 'Asia/Kolkata' });
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
  });
  afterEach(() => t.close());

  const balance = async () => (await t.as('alice').get('/me/account').expect(200)).body.balance.credits;
  const audit = async () => (await t.as('admin').get('/admin/audit').expect(200)).body;

  it('charges a monthly-only plan created in the hour a month begins once, for the new month', async () => {
    const planId = await createPlan(t, { monthlyPrice: '30' });
    stopTheWorldAt(t, '2026-03-31T18:45:00Z');
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-31T18:40:00Z');
    await setClock(t, '2026-03-31T21:01:00Z');
    // April in Kolkata ends 2026-04-30T18:30:00Z: 30 days less the 10 minutes before 18:40 are left.
    // 30 × 2 591 400 / 2 592 000 = 29.9930555… → 29.993056.
    expect(await balance()).toBe('70.006944');
    const proof = (await t.as('admin').get('/admin/instances/vm-1/billing-proof').expect(200)).body;
    expect(proof.usage.map((row: { monthKey: string; upfront: string }) => [row.monthKey, row.upfront])).toEqual([
      ['2026-04', '29.993056'],
      ['2026-04', '0'],
      ['2026-04', '0'],
    ]);
    expect(await audit()).toMatchObject({ ok: true });
  });

  it("charges a whole month up front from the month's first second, not from the next UTC hour", async () => {
    const planId = await createPlan(t, { monthlyPrice: '30' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-31T12:00:00Z');
    await setClock(t, '2026-03-31T20:01:00Z');
    // March: 6.5 of its 744 hours are left at 12:00 (30 × 23 400 / 2 678 400 = 0.262097); April: all of it.
    expect(await balance()).toBe('69.737903');
    expect(await audit()).toMatchObject({ ok: true });
  });

  it("counts the new month's first minutes against the new month's cap", async () => {
    const planId = await createPlan(t, { hourlyPrice: '1', monthlyPrice: '5' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-31T12:00:00Z');
    await setClock(t, '2026-03-31T20:01:00Z');
    // March: 12:00–17:00 reach the cap of 5, the half hour to 18:30 is free; April: 18:30–20:00 is 1.5.
    expect(await balance()).toBe('93.5');
    const april = (await t.as('alice').get('/me/usage?month=2026-04').expect(200)).body;
    expect(april.total.credits).toBe('1.5');
    const march = (await t.as('alice').get('/me/usage?month=2026-03').expect(200)).body;
    expect(march.total.credits).toBe('5');
    expect(await audit()).toMatchObject({ ok: true });
  });

  it('files the half hours before and after midnight under their own days', async () => {
    const planId = await createPlan(t, { hourlyPrice: '1' });
    stopTheWorldAt(t, '2026-04-10T12:00:00Z');
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-04-10T12:00:00Z');
    await setClock(t, '2026-04-11T20:01:00Z');
    const { daily, total } = (await t.as('alice').get('/me/usage?month=2026-04').expect(200)).body;
    const cost = (date: string) => daily.find((day: { date: string }) => day.date === date).cost.credits;
    // April 10 in Kolkata ends at 18:30 UTC: 6.5 hours; April 11 is a whole day; April 12 has begun 1.5 hours ago.
    expect([cost('2026-04-10'), cost('2026-04-11'), cost('2026-04-12')]).toEqual(['6.5', '24', '1.5']);
    expect(total.credits).toBe('32');
    expect(await audit()).toMatchObject({ ok: true });
  });
});
