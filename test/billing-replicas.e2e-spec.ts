import { DataSource } from 'typeorm';
import { BillingRunService } from '../src/billing/run/billing-run.service';
import { balanceOf, createPlan, registerInstance, stopTheWorldAt } from './support/billing-fixtures';
import type { TestApp } from './support/test-app';
import { SUSPENSION_FEE_RULE, TRAFFIC_COUNTER } from './support/metering-fixtures';
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

describeReplicas('two app replicas billing rules and counters at the same moment', smallBatches, (replicas) => {
  let a: TestApp;
  let b: TestApp;
  beforeEach(async () => {
    ({ a, b } = replicas());
    await a.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000', timeZone: 'UTC' }).expect(200);
  });

  it('charges every rule-hour and bills every usage report exactly once between them, late ones too', async () => {
    const planId = await createPlan(a, { hourlyPrice: '0.5' });
    // 0.01 an hour per address, and a licence of 2.40 a day paid in advance.
    await a
      .as('admin')
      .post(`/admin/plans/${planId}/rules`, { ...SUSPENSION_FEE_RULE, key: 'ipv4', on: ['terminated'], except: true })
      .expect(201);
    await a
      .as('admin')
      .post(`/admin/plans/${planId}/rules`, {
        ...SUSPENSION_FEE_RULE,
        key: 'licence',
        price: '2.4',
        periodSeconds: 86_400,
        kind: 'prepaid',
        on: ['running'],
      })
      .expect(201);
    await a.as('admin').post('/admin/counters', TRAFFIC_COUNTER).expect(201);
    const users = Array.from({ length: 30 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
    for (const [i, user] of users.entries()) await registerInstance(a, `vm-${i}`, user, planId, '2026-03-10T12:00:00Z');
    stopTheWorldAt(a, '2026-03-10T18:00:00Z');
    stopTheWorldAt(b, '2026-03-10T18:00:00Z');
    // 600 GB at 13:30 and 600 GB at 15:30: 200 GB over the allowance, 2 credits.
    for (const [i] of users.entries()) {
      for (const [n, clock] of ['13:30', '15:30'].entries()) {
        await a
          .as('admin')
          .post(`/host/instances/vm-${i}/usage`, {
            counter: 'traffic-out',
            quantity: '600',
            at: `2026-03-10T${clock}:00Z`,
            id: `vm-${i}-r${n}`,
          })
          .expect(201);
      }
    }
    const now = new Date('2026-03-10T18:00:00Z');
    await Promise.all([a.app.get(BillingRunService).run(now), b.app.get(BillingRunService).run(now)]);
    // Late: dated in an hour both replicas have settled.
    for (const [i] of users.entries()) {
      await a
        .as('admin')
        .post(`/host/instances/vm-${i}/usage`, {
          counter: 'traffic-out',
          quantity: '100',
          at: '2026-03-10T16:10:00Z',
          id: `vm-${i}-late`,
        })
        .expect(201);
    }
    const [first, second] = await Promise.all([
      a.app.get(BillingRunService).run(now),
      b.app.get(BillingRunService).run(now),
    ]);
    expect(first.lateUsageReports + second.lateUsageReports).toBe(30);

    // 6 hours × (0.5 + 0.01) + 2.40 + 2 + 1 (the late 100 GB) = 8.46.
    for (const user of users) expect(await balanceOf(b, user)).toBe('-8.46');
    const db = a.app.get(DataSource);
    const count = async (sql: string) => Number(Object.values((await db.query(sql))[0])[0]);
    // ipv4: a row per instance-hour; the licence: one per instance, at creation.
    expect(await count('SELECT COUNT(*) FROM cloud_billing_rule_usage')).toBe(30 * 6 + 30);
    expect(await count('SELECT COUNT(*) FROM cloud_billing_metered_usage WHERE billed_at_ms IS NULL')).toBe(0);
    expect(await count("SELECT COUNT(*) FROM cloud_billing_ledger_entries WHERE kind = 'adjustment'")).toBe(30);
    expect((await a.as('admin').get('/admin/audit').expect(200)).body.breaches).toEqual([]);
  });
});
