import { DataSource } from 'typeorm';
import { Isolation, UnitOfWork } from '../src/common/unit-of-work';
import { InstanceService } from '../src/instances/instance.service';
import { balanceOf, createPlan, registerInstance, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { startDemoApp, TestApp } from './support/test-app';

const OTHERS = 1000;
/**
 * A run over a thousand accounts, each evaluated for thresholds in its own transaction: on MariaDB with two CI
 * workers that is more than jest's default minute. This is a guard against a hang, not a speed target (those live in
 * the benchmarks).
 */
const THOUSAND_ACCOUNT_RUN_MS = 240_000;

/** One account that cannot be priced or charged must not stop anyone else's billing. */
describe('an account that fails to settle', () => {
  let t: TestApp;
  let good: number;
  let bad: number;
  beforeAll(async () => {
    t = await startDemoApp();
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
    good = await createPlan(t, { hourlyPrice: '1' });
    bad = await createPlan(t, { hourlyPrice: '1' });
    // A thousand ordinary accounts, registered in one transaction to keep the test quick.
    const start = Date.parse('2026-03-10T12:00:00Z');
    const instances = t.app.get(InstanceService);
    await t.app.get(UnitOfWork).run(
      (tx) =>
        instances.registerManyIn(
          tx,
          Array.from({ length: OTHERS }, (_, i) => ({
            id: `vm-${String(i).padStart(4, '0')}`,
            userId: `user-${String(i).padStart(4, '0')}`,
            name: `vm ${i}`,
            planId: good,
            locationId: null,
            hypervisorId: null,
            atMs: start,
          })),
        ),
      { isolation: Isolation.LockedWrites },
    );
    await registerInstance(t, 'vm-unpriced', 'broken', bad, '2026-03-10T12:00:00Z');
    await registerInstance(t, 'vm-overflow', 'overflow', good, '2026-03-10T12:00:00Z');
    // A plan whose price was corrupted behind the API's back, and a balance at the end of the exact range.
    await t.app.get(DataSource).query('UPDATE cloud_billing_plans SET hourly_price = -1 WHERE id = ?', [bad]);
    // The API keeps balances within ±1e9 credits; this one was written behind its back, entry and balance alike.
    const edge = -(Number.MAX_SAFE_INTEGER - 500_000);
    await t.app
      .get(DataSource)
      .query('INSERT INTO cloud_billing_accounts (user_id, balance, created_at, updated_at) VALUES (?, ?, ?, ?)', [
        'overflow',
        edge,
        '2026-03-10 12:00:00',
        '2026-03-10 12:00:00',
      ]);
    await t.app
      .get(DataSource)
      .query(
        'INSERT INTO cloud_billing_ledger_entries (user_id, kind, amount, balance_after, idempotency_key, created_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?)',
        ['overflow', 'adjustment', edge, edge, 'test:edge-of-range', '2026-03-10 12:00:00'],
      );
    await topUp(t, 'user-0000', '10', 'pay-0').expect(201);
  });
  afterAll(() => t.close());

  const audit = async () => (await t.as('admin').get('/admin/audit').expect(200)).body;

  it(
    'charges everyone else in the same run and reports the failed accounts',
    async () => {
      stopTheWorldAt(t, '2026-03-10T13:01:00Z');
      const summary = (await t.as('admin').post('/admin/billing/run').expect(200)).body;
      expect(summary).toMatchObject({ instanceHours: OTHERS, charges: OTHERS });
      expect(summary.failures.map((f: { userId: string; hour: string }) => [f.userId, f.hour]).sort()).toEqual([
        ['broken', '2026-03-10T12:00:00.000Z'],
        ['overflow', '2026-03-10T12:00:00.000Z'],
      ]);
      expect(await balanceOf(t, 'user-0000')).toBe('9');
      expect(await balanceOf(t, 'user-0999')).toBe('-1');

      const report = await audit();
      expect(report.ok).toBe(false);
      const behind = report.breaches.filter((b: { kind: string }) => b.kind === 'behind');
      expect(behind.map((b: { userId: string }) => b.userId).sort()).toEqual(['broken', 'overflow']);
      expect(behind[0].detail).toMatch(/1 hour/);
    },
    THOUSAND_ACCOUNT_RUN_MS,
  );

  it(
    'keeps retrying them, and settles the oldest hour first without holding the others back',
    async () => {
      stopTheWorldAt(t, '2026-03-10T16:01:00Z');
      const summary = (await t.as('admin').post('/admin/billing/run').expect(200)).body;
      expect(summary.instanceHours).toBe(3 * OTHERS);
      expect(summary.failures).toHaveLength(2);

      // The price is mended: the account catches up, one hour per pass, behind everyone's current hour.
      await t.app.get(DataSource).query('UPDATE cloud_billing_plans SET hourly_price = 2000000 WHERE id = ?', [bad]);
      stopTheWorldAt(t, '2026-03-10T17:01:00Z');
      await t.as('admin').post('/admin/billing/run').expect(200);
      expect(await balanceOf(t, 'broken')).toBe('-10');
      const rows: { user_id: string; hour_start_ms: string | number; id: string | number }[] = await t.app
        .get(DataSource)
        .query('SELECT id, user_id, hour_start_ms FROM cloud_billing_usage WHERE hour_start_ms >= ?', [
          Date.parse('2026-03-10T13:00:00Z'),
        ]);
      const ids = (user: (id: string) => boolean, hour: number) =>
        rows.filter((r) => user(r.user_id) && Number(r.hour_start_ms) === hour).map((r) => Number(r.id));
      const othersCurrent = ids((u) => u.startsWith('user-'), Date.parse('2026-03-10T16:00:00Z'));
      const brokenLater = ids((u) => u === 'broken', Date.parse('2026-03-10T14:00:00Z'));
      expect(othersCurrent).toHaveLength(OTHERS);
      expect(Math.max(...othersCurrent)).toBeLessThan(Math.min(...brokenLater));

      const report = await audit();
      expect(report.breaches.map((b: { userId: string }) => b.userId)).toEqual(['overflow']);
      expect(report.breaches[0].detail).toMatch(/5 hours/);
    },
    THOUSAND_ACCOUNT_RUN_MS,
  );

  it('shows the failures in the admin page', async () => {
    const page = await t.anonymous().get('/panel/admin').set('x-user-id', 'admin');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/Billing could not settle 1 account/);
    expect(page.text).toContain('data-failed-account="overflow"');
    expect(page.text).not.toContain('data-failed-account="broken"');
    const failures = (await t.as('admin').get('/admin/billing/failures').expect(200)).body;
    expect(failures).toEqual([
      expect.objectContaining({ userId: 'overflow', hour: '2026-03-10T12:00:00.000Z', attempts: 3 }),
    ]);
    // Its instance is terminated: nothing is due any more, and the next run drops the record.
    await t.app
      .get(DataSource)
      .query(
        "UPDATE cloud_billing_instances SET terminated_at_ms = settled_until_ms, state = 'terminated' WHERE id = 'vm-overflow'",
      );
    await t.as('admin').post('/admin/billing/run').expect(200);
    expect((await t.as('admin').get('/admin/billing/failures').expect(200)).body).toEqual([]);
  });
});
