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
  });
});
