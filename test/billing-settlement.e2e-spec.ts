import { SettlementRepository } from '../src/billing/settlement/settlement.repository';
import { InstanceBillingService } from '../src/instances/instance-billing.service';
import {
  balanceOf,
  createPlan,
  registerInstance,
  sendEvent,
  setClock,
  stopTheWorldAt,
  topUp,
} from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
describe('hourly settlement', () => {
  let t: TestApp;
  beforeEach(async () => {
    // Batches of two accounts, so a run over a few users spans several transactions (see the half-way crash).
    t = await startTestApp({ tuning: { billing: { settlementBatchSize: 2 } } });
    // These tests follow charges only; suspension for a low balance has its own tests.
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
  });
  afterEach(() => t.close());

  const run = async () => (await t.as('admin').post('/admin/billing/run').expect(200)).body;

  it('charges every complete hour once, and a second run charges nothing', async () => {
    const planId = await createPlan(t, { hourlyPrice: '1.5' });
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    stopTheWorldAt(t, '2026-03-10T15:30:00Z');

    expect(await run()).toMatchObject({
      settledUntil: '2026-03-10T15:00:00.000Z',
      hours: 3,
      instanceHours: 3,
      charges: 3,
      chargedCredits: '4.5',
    });
    expect(await balanceOf(t, 'alice')).toBe('95.5');
    expect(await run()).toMatchObject({ hours: 0, instanceHours: 0, charges: 0 });
    expect(await balanceOf(t, 'alice')).toBe('95.5');
  });

  it('catches up every missed hour after downtime', async () => {
    const planId = await createPlan(t, { hourlyPrice: '0.25' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    stopTheWorldAt(t, '2026-03-11T12:00:00Z');
    expect(await run()).toMatchObject({ hours: 24, instanceHours: 24 });
    expect(await balanceOf(t, 'alice')).toBe('-6');
  });

  it('counts seconds exactly and rounds up to the granularity only when the hour is settled', async () => {
    await t.as('admin').patch('/admin/settings', { billingGranularitySeconds: 60 }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '1.5' });
    await setClock(t, '2026-03-10T12:10:30Z');
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:10:30Z');
    await setClock(t, '2026-03-10T13:00:00Z');
    await run();
    // 49 min 30 s rounds up to 50 min: 1.5 × 3000 / 3600.
    expect(await balanceOf(t, 'alice')).toBe('-1.25');
  });

  it('bills each state at its rate and rounds the hour once', async () => {
    await t.as('admin').patch('/admin/settings', { billingGranularitySeconds: 1 }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0.1', suspendedHourlyPrice: '0.01' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T12:50:00Z');
    await sendEvent(t, 'vm-1', 'stopped', '2026-03-10T12:20:00Z').expect(200);
    await sendEvent(t, 'vm-1', 'suspended', '2026-03-10T12:40:00Z').expect(200);
    await setClock(t, '2026-03-10T13:00:00Z');
    await run();
    // 20 min running + 20 min stopped + 20 min suspended = (1 + 0.1 + 0.01) / 3, rounded once to the micro-credit.
    expect(await balanceOf(t, 'alice')).toBe('-0.37');
  });

  it('stops at termination and never bills the instance again', async () => {
    await t.as('admin').patch('/admin/settings', { billingGranularitySeconds: 1 }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '3.6' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T13:30:00Z');
    await sendEvent(t, 'vm-1', 'terminated', '2026-03-10T13:00:10Z').expect(200);
    await setClock(t, '2026-03-10T18:00:00Z');
    expect(await balanceOf(t, 'alice')).toBe('-3.61');
    expect(await run()).toMatchObject({ instanceHours: 0 });
  });

  it('caps an hourly plan at its monthly price for the calendar month', async () => {
    const planId = await createPlan(t, { hourlyPrice: '1.5', monthlyPrice: '10' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-11T00:00:00Z');
    await run();
    expect(await balanceOf(t, 'alice')).toBe('-10');
    // The rest of March is free; April starts a new cap: two hours at 1.5.
    await setClock(t, '2026-04-01T02:00:00Z');
    await run();
    expect(await balanceOf(t, 'alice')).toBe('-13');
  });

  it('starts a new cap after a resize, and bills the new plan from the resize second', async () => {
    await t.as('admin').patch('/admin/settings', { billingGranularitySeconds: 1 }).expect(200);
    const small = await createPlan(t, { hourlyPrice: '1', monthlyPrice: '2' });
    const large = await createPlan(t, { hourlyPrice: '4', monthlyPrice: '100' });
    await registerInstance(t, 'vm-1', 'alice', small, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T14:30:00Z');
    await sendEvent(t, 'vm-1', 'resized', '2026-03-10T14:30:00Z', large).expect(200);
    await setClock(t, '2026-03-10T16:00:00Z');
    await run();
    // small: 2 h → 2 (its cap), then 30 min → capped at 0; large: 30 min → 2, then an hour → 4.
    expect(await balanceOf(t, 'alice')).toBe('-8');
  });

  it('charges a monthly-only plan up front, prorated, then on the first hour of each month', async () => {
    const planId = await createPlan(t, { monthlyPrice: '31' });
    await setClock(t, '2026-03-11T00:00:00Z');
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-11T00:00:00Z');
    await setClock(t, '2026-03-11T05:00:00Z');
    await run();
    // 21 of March's 31 days are left.
    expect(await balanceOf(t, 'alice')).toBe('-21');
    await setClock(t, '2026-04-01T01:00:00Z');
    await run();
    expect(await balanceOf(t, 'alice')).toBe('-52');
  });

  it('finishes a run that died half-way without charging anything twice', async () => {
    const planId = await createPlan(t, { hourlyPrice: '1' });
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    for (const user of users) await registerInstance(t, `vm-${user}`, user, planId, '2026-03-10T12:00:00Z');
    stopTheWorldAt(t, '2026-03-10T14:00:00Z');

    const repository = t.app.get(SettlementRepository);
    const instances = t.app.get(InstanceBillingService);
    const markSettled = instances.markSettled.bind(instances);
    let calls = 0;
    const spy = jest.spyOn(instances, 'markSettled').mockImplementation(async (...args) => {
      calls += 1;
      // The second batch dies after writing its usage and charges: its transaction must roll back.
      if (calls >= 2) throw new Error('injected crash');
      return markSettled(...args);
    });
    // The process is gone: not even the failure can be recorded.
    const record = jest.spyOn(repository, 'recordFailure').mockRejectedValue(new Error('process died'));
    await t.as('admin').post('/admin/billing/run').expect(500);
    record.mockRestore();
    expect(await Promise.all(users.map((u) => balanceOf(t, u)))).toEqual(['-1', '-1', '0', '0', '0']);

    spy.mockRestore();
    expect(await run()).toMatchObject({ instanceHours: 8 });
    expect(await Promise.all(users.map((u) => balanceOf(t, u)))).toEqual(['-2', '-2', '-2', '-2', '-2']);
  });
});
