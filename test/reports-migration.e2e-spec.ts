import { DataSource } from 'typeorm';
import { DailyUsage1763740007000 } from '../migrations/1763740007000-daily-usage';
import { ExactEdges1763740008000 } from '../migrations/1763740008000-exact-edges';
import { MeteredSettlement1763740014000 } from '../migrations/1763740014000-metered-settlement';
import { createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * A database that settled hours before the daily rollup existed: the migration rebuilds the daily rows and the
 * monthly rows' rates from the hourly rows, so past months report exactly as if the rollup had always been kept.
 */
describe('migration 1763740007000-daily-usage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ clockStart: new Date('2026-03-31T18:00:00Z') });
    await t.as('admin').patch('/admin/settings', { timeZone: 'Europe/Berlin' }).expect(200);
    const small = await createPlan(t, { hourlyPrice: '1.5' });
    const large = await createPlan(t, { hourlyPrice: '4' });
    await topUp(t, 'alice', '500', 'alice-1').expect(201);
    await topUp(t, 'bob', '500', 'bob-1').expect(201);
    await registerInstance(t, 'vm-a', 'alice', small, '2026-03-31T18:00:00Z');
    await registerInstance(t, 'vm-b', 'bob', large, '2026-03-31T18:00:00Z');
    await setClock(t, '2026-03-31T21:00:00Z');
    await sendEvent(t, 'vm-a', 'resized', '2026-03-31T21:00:00Z', large).expect(200);
    await setClock(t, '2026-04-01T02:00:00Z');
  });
  afterAll(() => t.close());

  const reports = async () =>
    Promise.all(
      ['?month=2026-03', ''].flatMap((query) => [
        t.as('alice').get(`/me/usage${query}`).expect(200),
        t.as('admin').get(`/admin/usage${query}`).expect(200),
      ]),
    ).then((responses) => responses.map((response) => response.body));

  it('backfills the daily rollup and the rates on record from the hourly rows, and reverts cleanly', async () => {
    const before = await reports();
    // In Berlin (UTC+2) the hours from 18:00 to 21:00 UTC are March 31: 3 × 1.5 + 4 for vm-a, 4 × 4 for vm-b;
    // from 22:00 UTC on it is April 1 there: 4 hours of both at 4.
    expect(before[1].daily.at(-1)).toMatchObject({ date: '2026-03-31', cost: { credits: '24.5' } });
    expect(before[3].daily).toEqual([
      expect.objectContaining({ date: '2026-04-01', cost: expect.objectContaining({ credits: '32' }) }),
    ]);

    const dataSource = t.app.get(DataSource);
    const migration = new DailyUsage1763740007000();
    // The later migration that adds columns to the daily rollup is rolled back first and applied again after, as
    // reverting down to this one would (it holds no rows here: no rules or counters).
    const later = new MeteredSettlement1763740014000();
    const queryRunner = dataSource.createQueryRunner();
    try {
      await later.down(queryRunner);
      await migration.down(queryRunner);
      expect(await queryRunner.hasTable('cloud_billing_daily_usage')).toBe(false);
      expect(await queryRunner.hasColumn('cloud_billing_monthly_usage', 'hourly_rate')).toBe(false);
      await migration.up(queryRunner);
      await later.up(queryRunner);
    } finally {
      await queryRunner.release();
    }
    expect(await reports()).toEqual(before);
  });

  it('1763740008000 backfills the day of each hour and the hour of each charge, so the audit holds for old data', async () => {
    const audit = async () => (await t.as('admin').get('/admin/audit').expect(200)).body;
    expect(await audit()).toMatchObject({ ok: true });
    const before = await reports();
    const queryRunner = t.app.get(DataSource).createQueryRunner();
    try {
      const migration = new ExactEdges1763740008000();
      await migration.down(queryRunner);
      expect(await queryRunner.hasColumn('cloud_billing_usage', 'day_key')).toBe(false);
      expect(await queryRunner.hasColumn('cloud_billing_ledger_entries', 'hour_start_ms')).toBe(false);
      await migration.up(queryRunner);
      const [{ missing }] = await queryRunner.query(
        "SELECT COUNT(*) AS missing FROM cloud_billing_ledger_entries WHERE kind = 'charge' AND hour_start_ms IS NULL",
      );
      expect(Number(missing)).toBe(0);
    } finally {
      await queryRunner.release();
    }
    expect(await reports()).toEqual(before);
    expect(await audit()).toMatchObject({ ok: true, breachCount: 0 });
  });
});
