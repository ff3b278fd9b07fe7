import { DataSource } from 'typeorm';
import { BillingRunService } from '../src/billing/run/billing-run.service';
import { createPlan, registerInstance, stopTheWorldAt } from './support/billing-fixtures';
import type { TestApp } from './support/test-app';
import { describeReplicas } from './support/replicas';

// Small batches, so the two replicas interleave batch by batch.
const smallBatches = { tuning: { billing: { settlementBatchSize: 4 } } };

describeReplicas('the daily rollup when two replicas settle at once', smallBatches, (replicas) => {
  let a: TestApp;
  let b: TestApp;
  beforeEach(async () => {
    ({ a, b } = replicas());
    await a.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
  });

  it('adds every settled hour to its user and day exactly once, across midnight', async () => {
    const planId = await createPlan(a, { hourlyPrice: '0.5' });
    const users = Array.from({ length: 30 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
    for (const [i, user] of users.entries()) {
      await registerInstance(a, `vm-${i}-a`, user, planId, '2026-03-10T12:00:00Z');
      await registerInstance(a, `vm-${i}-b`, user, planId, '2026-03-10T12:00:00Z');
    }
    stopTheWorldAt(a, '2026-03-11T02:00:00Z');
    stopTheWorldAt(b, '2026-03-11T02:00:00Z');
    const now = new Date('2026-03-11T02:00:00Z');
    await Promise.all([a.app.get(BillingRunService).run(now), b.app.get(BillingRunService).run(now)]);

    // The daily rows against the hourly rows they summarise.
    const db = a.app.get(DataSource);
    const daily: { user_id: string; day_key: string; charge: string | number }[] = await db.query(
      'SELECT user_id, day_key, charge FROM cloud_billing_daily_usage ORDER BY user_id, day_key',
    );
    const hourly: { user_id: string; hour: string | number; charge: string | number }[] = await db.query(
      'SELECT user_id, hour_start_ms AS hour, charge FROM cloud_billing_usage',
    );
    const expected = new Map<string, number>();
    for (const row of hourly) {
      const key = `${row.user_id} ${new Date(Number(row.hour)).toISOString().slice(0, 10)}`;
      expected.set(key, (expected.get(key) ?? 0) + Number(row.charge));
    }
    expect(hourly).toHaveLength(30 * 2 * 14);
    expect(new Map(daily.map((row) => [`${row.user_id} ${row.day_key}`, Number(row.charge)]))).toEqual(expected);
    // 12 hours of two instances at 0.5 on March 10, 2 hours on March 11.
    expect(daily.slice(0, 2).map((row) => [row.day_key, Number(row.charge)])).toEqual([
      ['2026-03-10', 12_000_000],
      ['2026-03-11', 2_000_000],
    ]);
    const report = (await b.as('user-07').get('/me/usage').expect(200)).body;
    expect(report.total.credits).toBe('14');
    expect(report.daily.slice(-2).map((d: { cost: { credits: string } }) => d.cost.credits)).toEqual(['12', '2']);
  });
});
