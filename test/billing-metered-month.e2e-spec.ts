import { DataSource } from 'typeorm';
import { balanceOf, createPlan, registerInstance, sendEvent, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { DISK_READS_COUNTER, TRAFFIC_COUNTER } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

const DAY = 86_400;
const at = (day: string, clock: string) => `2026-04-${day}T${clock}Z`;

/**
 * Issue 11's "done means": a month with an instance, two rules and two counters, one crossing a price range inside an
 * hour, against a figure computed by hand (in the comments), to the micro-credit.
 */
describe(`a month of an instance with rules and counters (${testEngine()})`, () => {
  let t: TestApp;
  const admin = () => t.as('admin');
  const run = async () => (await admin().post('/admin/billing/run').expect(200)).body;
  let reports = 0;
  const report = async (instanceId: string, counter: string, quantity: string, when: string) => {
    stopTheWorldAt(t, when);
    return admin()
      .post(`/host/instances/${instanceId}/usage`, { counter, quantity, at: when, id: `r-${++reports}` })
      .expect(201);
  };
  const usageOf = async (instanceId: string) =>
    (await admin().get(`/admin/instances/${instanceId}/usage?month=2026-04`).expect(200)).body as {
      id: string;
      charge: string | null;
      late: boolean;
    }[];

  beforeAll(async () => {
    t = await startTestApp();
    await admin()
      .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lateEventWindowHours: 72 })
      .expect(200);
  });
  afterAll(() => t.close());

  it('charges the hand-computed figure, and the proof finds every charge where it belongs', async () => {
    stopTheWorldAt(t, at('01', '00:00:00'));
    const planId = await createPlan(t, { hourlyPrice: '0.01', suspendedHourlyPrice: '0' });
    // 3 credits per IPv4 address every 30 days, in every state but terminated.
    await admin()
      .post(`/admin/plans/${planId}/rules`, {
        key: 'ipv4',
        name: 'IPv4 address',
        unit: 'address',
        price: '3',
        periodSeconds: 30 * DAY,
        kind: 'postpaid',
        quantitySource: 'fixed',
        fixedQuantity: '1',
        on: ['terminated'],
        except: true,
      })
      .expect(201);
    // 0.01 an hour while suspended.
    await admin()
      .post(`/admin/plans/${planId}/rules`, {
        key: 'suspension-fee',
        name: 'Suspension fee',
        unit: 'instance',
        price: '0.01',
        periodSeconds: 3_600,
        kind: 'postpaid',
        quantitySource: 'fixed',
        fixedQuantity: '1',
        on: ['suspended'],
      })
      .expect(201);
    await admin().post('/admin/counters', TRAFFIC_COUNTER).expect(201);
    await admin().post('/admin/counters', DISK_READS_COUNTER).expect(201);
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, at('01', '00:00:00'));

    await report('vm-1', 'disk-read-requests', '2500000', at('02', '09:00:00'));
    stopTheWorldAt(t, at('04', '12:00:00'));
    await run();
    // Dated in an hour already settled: billed by the next run as an adjustment.
    const late = await report('vm-1', 'disk-read-requests', '1500000', at('03', '11:00:00'));
    expect(late.body.late).toBe(true);
    await report('vm-1', 'traffic-out', '600', at('05', '10:15:00'));
    stopTheWorldAt(t, at('10', '00:00:00'));
    await sendEvent(t, 'vm-1', 'suspended', at('10', '00:00:00')).expect(200);
    stopTheWorldAt(t, at('10', '10:30:00'));
    await sendEvent(t, 'vm-1', 'resumed', at('10', '10:30:00')).expect(200);
    // 400 GB of this report are still included, 100 GB are charged: the range starts inside the 13:00 hour.
    await report('vm-1', 'traffic-out', '500', at('15', '13:20:00'));
    await report('vm-1', 'traffic-out', '700', at('20', '08:00:00'));
    stopTheWorldAt(t, '2026-05-01T00:00:00Z');
    const summary = await run();
    expect(summary.lateUsageReports).toBe(1);

    // Instance: 709.5 running hours × 0.01 = 7.095 (10.5 suspended hours at 0).
    // IPv4: 720 hours = 30 days × 3 per 30 days = 3.
    // Suspension fee: 10.5 hours × 0.01 = 0.105.
    // Traffic: 1,800 GB, 1,000 included, 800 × 0.01 = 8.
    // Disk reads: 4,000,000 requests × 0.40 per million = 1.60 (0.60 of it the late report).
    // 7.095 + 3 + 0.105 + 8 + 1.6 = 19.8.
    expect(await balanceOf(t, 'alice')).toBe('80.2');

    const charges = Object.fromEntries((await usageOf('vm-1')).map((row) => [row.id, row.charge]));
    expect(charges).toEqual({ 'r-1': '1', 'r-2': '0.6', 'r-3': '0', 'r-4': '1', 'r-5': '7' });
    const audit = (await admin().get('/admin/audit').expect(200)).body;
    expect(audit.breaches).toEqual([]);
    expect(await run()).toMatchObject({ instanceHours: 0, lateUsageReports: 0 });
    expect(await balanceOf(t, 'alice')).toBe('80.2');

    const proof = (await admin().get('/admin/instances/vm-1/billing-proof').expect(200)).body;
    expect(proof.verdict.ok).toBe(true);
    expect(proof.verdict.totals).toMatchObject({ charged: '7.095', rulesCharged: '3.105', reportsCharged: '9.6' });
    // IPv4 in every hour, the fee in the 11 hours the suspension touched.
    expect(proof.ruleCharges).toHaveLength(720 + 11);
    expect(proof.usageReports.map((report: { id: string; late: boolean }) => [report.id, report.late])).toEqual([
      ['r-1', false],
      ['r-2', true],
      ['r-3', false],
      ['r-4', false],
      ['r-5', false],
    ]);
    // A month settled an hour per transaction: on a loaded machine it takes more than jest's default minute.
  }, 300_000);

  it('reports a usage report settlement left unbilled, in the proof and the audit', async () => {
    const db = t.app.get(DataSource);
    await db.query("UPDATE cloud_billing_metered_usage SET billed_at_ms = NULL, charge = NULL WHERE report_id = 'r-4'");
    const proof = (await admin().get('/admin/instances/vm-1/billing-proof').expect(200)).body;
    expect(proof.verdict.rulesAndReportsAccounted.findings).toEqual([
      expect.objectContaining({ kind: 'unbilled-report', from: '2026-04-15T13:00:00.000Z' }),
    ]);
    const audit = (await admin().get('/admin/audit').expect(200)).body;
    expect(audit.breaches).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'unbilled-report', instanceId: 'vm-1' })]),
    );
  });
});
