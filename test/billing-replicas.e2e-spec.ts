import { DataSource } from 'typeorm';
import { BillingRunService } from '../src/billing/run/billing-run.service';
import { balanceOf, createPlan, registerInstance, stopTheWorldAt } from './support/billing-fixtures';
import type { TestApp } from './support/test-app';
import { describeReplicas } from './support/replicas';

// Batches of three accounts, so that the two replicas' runs interleave batch by batch.
const smallBatches = { tuning: { billing: { settlementBatchSize: 3 } } };

describeReplicas('two app replicas settling at the same moment', smallBatches, (replicas) => {
  let a: TestApp;
  let b: TestApp;
  beforeEach(async () => {
    ({ a, b } = replicas());
    await a.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
  });

  it('charges each instance-hour exactly once between them', async () => {
    const planId = await createPlan(a, { hourlyPrice: '0.5' });
    const users = Array.from({ length: 40 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
    for (const [i, user] of users.entries()) {
      await registerInstance(a, `vm-${i}-a`, user, planId, '2026-03-10T12:00:00Z');
      await registerInstance(a, `vm-${i}-b`, user, planId, '2026-03-10T12:00:00Z');
    }
    // Moved without running anything, so that the two replicas' runs are the ones that race.
    stopTheWorldAt(a, '2026-03-10T18:00:00Z');
    stopTheWorldAt(b, '2026-03-10T18:00:00Z');
    const now = new Date('2026-03-10T18:00:00Z');

    const [first, second] = await Promise.all([
      a.app.get(BillingRunService).run(now),
      b.app.get(BillingRunService).run(now),
    ]);

    // 80 instances × 6 hours, split between the replicas, none twice.
    expect(first.instanceHours + second.instanceHours).toBe(480);
    expect(first.charges + second.charges).toBe(240);
    for (const user of users) expect(await balanceOf(b, user)).toBe('-6');
    const db = a.app.get(DataSource);
    const [{ rows }] = await db.query('SELECT COUNT(*) AS `rows` FROM cloud_billing_usage');
    expect(Number(rows)).toBe(480);
    const [{ entries }] = await db.query(
      "SELECT COUNT(*) AS entries FROM cloud_billing_ledger_entries WHERE kind = 'charge'",
    );
    expect(Number(entries)).toBe(240);
  });
});
