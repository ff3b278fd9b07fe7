import { DemoNotifier, DemoProvisioner } from '../src/demo/demo-ports';
import { balanceOf, createPlan, registerInstance, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z. Thresholds here: low 10, negative 0, suspension below -2.
describe('balance thresholds', () => {
  let t: TestApp;
  let mails: () => string[];
  let calls: () => string[];
  beforeEach(async () => {
    t = await startTestApp();
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-2', runwayWarningHours: 0 }).expect(200);
    const notifier = t.app.get(DemoNotifier);
    const provisioner = t.app.get(DemoProvisioner);
    mails = () => notifier.delivered.map((m) => `${m.userId}:${m.kind}`);
    calls = () => provisioner.calls.filter((c) => c.ok).map((c) => `${c.action}:${c.instanceId}`);
  });
  afterEach(() => t.close());

  const run = () => t.as('admin').post('/admin/billing/run').expect(200);

  it('warns once per episode, suspends below the threshold, and resumes on a top-up', async () => {
    const planId = await createPlan(t, { hourlyPrice: '5' });
    await topUp(t, 'alice', '18', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');

    await setClock(t, '2026-03-10T14:00:00Z');
    await run(); // 18 - 10 = 8: low
    expect(mails()).toEqual(['alice:low-balance']);
    await setClock(t, '2026-03-10T15:00:00Z');
    await run(); // 3: still low, no second email
    expect(mails()).toEqual(['alice:low-balance']);

    await setClock(t, '2026-03-10T16:00:00Z');
    await run(); // -2: negative, not yet below -2
    expect(mails()).toEqual(['alice:low-balance', 'alice:negative-balance']);
    expect(calls()).toEqual([]);

    await setClock(t, '2026-03-10T17:00:00Z');
    await run(); // -7: suspended
    expect(mails()).toEqual(['alice:low-balance', 'alice:negative-balance', 'alice:suspended']);
    expect(calls()).toEqual(['suspend:vm-1']);
    expect((await t.as('alice').get('/me/account')).body.status).toBe('suspended');

    // Suspended costs nothing by default; the balance holds.
    await setClock(t, '2026-03-10T20:00:00Z');
    await run();
    expect(await balanceOf(t, 'alice')).toBe('-7');

    // Two requests with one payment reference credit once and resume once.
    await Promise.all([topUp(t, 'alice', '50', 'pay-2'), topUp(t, 'alice', '50', 'pay-2')]);
    expect(await balanceOf(t, 'alice')).toBe('43');
    expect(calls()).toEqual(['suspend:vm-1', 'unsuspend:vm-1']);
    expect(mails()).toEqual(['alice:low-balance', 'alice:negative-balance', 'alice:suspended', 'alice:unsuspended']);
    expect((await t.as('alice').get('/me/account')).body.status).toBe('ok');

    // A new episode warns again.
    await setClock(t, '2026-03-11T03:00:00Z');
    await run(); // 43 - 35 = 8
    expect(mails().filter((m) => m === 'alice:low-balance')).toHaveLength(2);
  });

  it('leaves instances suspended when auto-unsuspend is off', async () => {
    await t.as('admin').patch('/admin/settings', { autoUnsuspend: false }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '5' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T13:00:00Z');
    await run();
    expect(calls()).toEqual(['suspend:vm-1']);
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    expect(calls()).toEqual(['suspend:vm-1']);
    expect((await t.as('alice').get('/me/account')).body.status).toBe('suspended');
  });

  it('terminates what stayed suspended for the configured days', async () => {
    await t.as('admin').patch('/admin/settings', { terminateAfterDaysSuspended: 2 }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '5' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T13:00:00Z');
    await run();
    await setClock(t, '2026-03-12T12:59:00Z');
    await run();
    expect(calls()).toEqual(['suspend:vm-1']);
    await setClock(t, '2026-03-12T13:00:00Z');
    await run();
    expect(calls()).toEqual(['suspend:vm-1', 'terminate:vm-1']);
    expect(mails()).toContain('alice:terminated');
    await setClock(t, '2026-03-13T13:00:00Z');
    await run();
    expect(calls()).toEqual(['suspend:vm-1', 'terminate:vm-1']);
  });

  it('warns about the runway before any balance threshold', async () => {
    await t.as('admin').patch('/admin/settings', { runwayWarningHours: 24 }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '2' });
    await topUp(t, 'alice', '60', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T13:00:00Z');
    await run(); // 58 left, burning 2/h: 30 h to -2, no warning yet
    expect(mails()).toEqual([]);
    await setClock(t, '2026-03-10T20:00:00Z');
    await run(); // 44 left: 23 h
    expect(mails()).toEqual(['alice:runway-warning']);
    const warning = t.app.get(DemoNotifier).delivered[0];
    expect(warning.text).toContain('about 23 hours');
    await setClock(t, '2026-03-10T21:00:00Z');
    await run();
    expect(mails()).toEqual(['alice:runway-warning']);
  });

  it('keeps retrying a failing provisioner until the call goes through, once', async () => {
    const planId = await createPlan(t, { hourlyPrice: '5' });
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await t.as('admin').post('/demo/provisioner/failures', { count: 2 }).expect(200);
    await setClock(t, '2026-03-10T13:00:00Z');
    await run();
    expect(calls()).toEqual([]);
    await setClock(t, '2026-03-10T13:00:30Z');
    await run();
    expect(calls()).toEqual([]);
    await setClock(t, '2026-03-10T13:10:00Z');
    await run();
    await run();
    expect(calls()).toEqual(['suspend:vm-1']);
    expect(t.app.get(DemoProvisioner).calls.filter((c) => !c.ok)).toHaveLength(2);
  });
});
