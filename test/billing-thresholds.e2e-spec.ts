import { ThresholdService } from '../src/billing/thresholds/threshold.service';
import { DemoNotifier, DemoProvisioner } from '../src/demo/demo-ports';
import { balanceOf, createPlan, registerInstance, setClock, stopTheWorldAt, topUp } from './support/billing-fixtures';
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

  /**
   * Thresholds follow from what the database records, not from what one process remembered: an evaluation that
   * never happened (a crash after settling, a failing top-up evaluation) or that the settings have since made
   * wrong is done by the next run, once.
   */
  describe('from durable state', () => {
    const sortedMails = () => mails().sort();
    const runAt = (now: string) => {
      stopTheWorldAt(t, now);
      return t.as('admin').post('/admin/billing/run');
    };
    /** The process "dies" once evaluation starts: what settlement committed stays, nothing is evaluated. */
    const crashOnceBeforeEvaluating = () =>
      jest.spyOn(t.app.get(ThresholdService), 'evaluate').mockRejectedValueOnce(new Error('killed before evaluating'));
    const status = async (userId: string) => (await t.as(userId).get('/me/account').expect(200)).body.status;

    it('evaluates after a restart the accounts a crashed run settled but never evaluated', async () => {
      const planId = await createPlan(t, { hourlyPrice: '5' });
      await topUp(t, 'bob', '18', 'pay-bob').expect(201);
      await topUp(t, 'carol', '100', 'pay-carol').expect(201);
      for (const user of ['alice', 'bob', 'carol'])
        await registerInstance(t, `vm-${user}`, user, planId, '2026-03-10T12:00:00Z');

      crashOnceBeforeEvaluating();
      await runAt('2026-03-10T14:00:00Z').expect(500);
      expect(await balanceOf(t, 'alice')).toBe('-10');
      expect(await balanceOf(t, 'bob')).toBe('8');
      expect(sortedMails()).toEqual([]);
      expect(calls()).toEqual([]);

      // The restarted run settles nothing new, yet finishes what the crashed one left.
      const { body } = await runAt('2026-03-10T14:00:00Z').expect(200);
      expect(body.charges).toBe(0);
      expect(sortedMails()).toEqual([
        'alice:low-balance',
        'alice:negative-balance',
        'alice:suspended',
        'bob:low-balance',
      ]);
      expect(calls()).toEqual(['suspend:vm-alice']);
      expect(await status('alice')).toBe('suspended');

      await runAt('2026-03-10T14:00:00Z').expect(200);
      await runAt('2026-03-10T14:30:00Z').expect(200);
      expect(sortedMails()).toHaveLength(4);
      expect(calls()).toEqual(['suspend:vm-alice']);
    });

    it('shows in the run summary and the audit what is left unevaluated', async () => {
      const planId = await createPlan(t, { hourlyPrice: '5' });
      for (const user of ['alice', 'bob'])
        await registerInstance(t, `vm-${user}`, user, planId, '2026-03-10T12:00:00Z');
      crashOnceBeforeEvaluating();
      await runAt('2026-03-10T13:00:00Z').expect(500);

      // Within the hour the next run is due, waiting is normal; past it (and the run's grace) it is a finding.
      stopTheWorldAt(t, '2026-03-10T14:10:00Z');
      expect((await t.as('admin').get('/admin/audit').expect(200)).body.ok).toBe(true);
      stopTheWorldAt(t, '2026-03-10T14:20:00Z');
      const audit = (await t.as('admin').get('/admin/audit').expect(200)).body;
      const overdue = audit.breaches.filter((b: { kind: string }) => b.kind === 'evaluation-overdue');
      expect(overdue.map((b: { userId: string }) => b.userId)).toEqual(['alice', 'bob']);
      expect(overdue[0].detail).toContain('not evaluated since 2026-03-10T13:00:00.000Z (80 min)');

      const { body } = await runAt('2026-03-10T14:20:00Z').expect(200);
      expect(body.thresholds).toMatchObject({ evaluated: 2, failed: 0, suspended: 2, stillDue: 0 });
      expect((await t.as('admin').get('/admin/audit').expect(200)).body.ok).toBe(true);
    });

    describe('a top-up whose evaluation fails', () => {
      beforeEach(async () => {
        const planId = await createPlan(t, { hourlyPrice: '5' });
        await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
        await runAt('2026-03-10T13:00:00Z').expect(200); // -5: suspended
        expect(calls()).toEqual(['suspend:vm-1']);

        crashOnceBeforeEvaluating();
        await topUp(t, 'alice', '50', 'pay-1').expect(201);
        expect(await balanceOf(t, 'alice')).toBe('45');
        expect(calls()).toEqual(['suspend:vm-1']);
      });

      it('is evaluated when the admin retries with the same reference, which credits nothing more', async () => {
        await topUp(t, 'alice', '50', 'pay-1').expect(200);
        expect(await balanceOf(t, 'alice')).toBe('45');
        expect(calls()).toEqual(['suspend:vm-1', 'unsuspend:vm-1']);
        expect(sortedMails()).toContain('alice:unsuspended');
        expect(await status('alice')).toBe('ok');
      });

      it('is evaluated by the next run', async () => {
        await runAt('2026-03-10T13:10:00Z').expect(200);
        expect(calls()).toEqual(['suspend:vm-1', 'unsuspend:vm-1']);
        await topUp(t, 'alice', '50', 'pay-1').expect(200);
        await runAt('2026-03-10T13:20:00Z').expect(200);
        expect(calls()).toEqual(['suspend:vm-1', 'unsuspend:vm-1']);
        expect(sortedMails().filter((m) => m === 'alice:unsuspended')).toHaveLength(1);
      });
    });

    it('applies changed thresholds on the next run, also to accounts that no run charges', async () => {
      const monthlyPlan = await createPlan(t, { hourlyPrice: null, monthlyPrice: '30' });
      await topUp(t, 'dave', '40', 'pay-dave').expect(201);
      await registerInstance(t, 'vm-dave', 'dave', monthlyPlan, '2026-03-10T12:00:00Z');
      await topUp(t, 'erin', '20', 'pay-erin').expect(201);
      await topUp(t, 'frank', '1', 'pay-frank').expect(201);
      await t
        .as('admin')
        .post('/admin/accounts/frank/credits', {
          kind: 'adjustment',
          amount: '-2',
          reference: 'fix-1',
          note: 'chargeback',
        })
        .expect(201);
      await runAt('2026-03-10T13:00:00Z').expect(200);
      const daveBalance = Number(await balanceOf(t, 'dave'));
      expect(daveBalance).toBeGreaterThan(10);
      expect(daveBalance).toBeLessThan(25);
      expect(sortedMails()).toEqual(['frank:low-balance', 'frank:negative-balance']);

      await t.as('admin').patch('/admin/settings', { lowBalanceThreshold: '25', suspensionThreshold: '0' }).expect(200);
      const { body } = await runAt('2026-03-10T14:00:00Z').expect(200);
      expect(body.charges).toBe(0);
      expect(body.thresholds).toMatchObject({ reconciled: 3, evaluated: 3, emails: 3, stillDue: 0 });
      expect(sortedMails()).toEqual([
        'dave:low-balance',
        'erin:low-balance',
        'frank:low-balance',
        'frank:negative-balance',
        'frank:suspended',
      ]);
      expect(await status('frank')).toBe('suspended');
      expect(await balanceOf(t, 'dave')).toBe(String(daveBalance));

      await runAt('2026-03-10T15:00:00Z').expect(200);
      expect(sortedMails()).toHaveLength(5);

      // Lowered again: the episode ends without an email, and the next crossing warns again.
      await t.as('admin').patch('/admin/settings', { lowBalanceThreshold: '10' }).expect(200);
      await runAt('2026-03-10T16:00:00Z').expect(200);
      await t.as('admin').patch('/admin/settings', { lowBalanceThreshold: '25' }).expect(200);
      await runAt('2026-03-10T17:00:00Z').expect(200);
      expect(sortedMails().filter((m) => m === 'erin:low-balance')).toHaveLength(2);
      expect(sortedMails()).toHaveLength(7);
    });
  });
});
