import { DataSource } from 'typeorm';
import { balanceOf, topUp } from './support/billing-fixtures';
import { meteredApril } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 11's "done means": a month with an instance, two rules and two counters, one crossing a price range inside an
 * hour, against a figure computed by hand (meteredApril's comment), to the micro-credit.
 */
describe(`a month of an instance with rules and counters (${testEngine()})`, () => {
  let t: TestApp;
  const admin = () => t.as('admin');
  const run = async () => (await admin().post('/admin/billing/run').expect(200)).body;
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
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    const month = await meteredApril(t, 'alice');
    // Dated in an hour already settled: billed by the last run as an adjustment.
    expect(month.lateReport.late).toBe(true);
    expect(month.lastRun.lateUsageReports).toBe(1);
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
