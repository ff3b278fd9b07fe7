import { DemoNotifier } from '../src/demo/demo-ports';
import { balanceOf, registerInstance, sendEvent, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { createMeteredPlan, reportUsage } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The widget of an instance on the metered plan (0.01 an hour, IPv4 3 per 30 days, a suspension fee of 0.01 an hour,
 * traffic past 1,000 GB at 0.01 a GB), registered on April 14th at 00:00 and settled up to the 15th, 14:00 (38 hours):
 * 1,000 GB of traffic on the 14th (free), 240 GB more on the 15th at 09:30 (2.4). Charged: instance 0.38, IPv4
 * 38 × 3 / 720 = 0.158333, traffic 2.4: 2.938333 of the 10 credited.
 */
describe(`the widget with rules and counters (${testEngine()})`, () => {
  let t: TestApp;
  let mails: () => string[];
  const widget = async () => (await t.as('alice').get('/me/widget').expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', {
        timeZone: 'UTC',
        lowBalanceThreshold: '1',
        negativeBalanceThreshold: '0',
        suspensionThreshold: '0',
        runwayWarningHours: 72,
        lateEventWindowHours: 72,
      })
      .expect(200);
    const notifier = t.app.get(DemoNotifier);
    mails = () => notifier.delivered.map((m) => `${m.userId}:${m.kind}`);
    stopTheWorldAt(t, '2026-04-14T00:00:00Z');
    const planId = await createMeteredPlan(t);
    await topUp(t, 'alice', '10', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-04-14T00:00:00Z');
    await reportUsage(t, 'vm-1', 'traffic-out', '1000', '2026-04-14T10:00:00Z').expect(201);
    await reportUsage(t, 'vm-1', 'traffic-out', '240', '2026-04-15T09:30:00Z').expect(201);
    stopTheWorldAt(t, '2026-04-15T14:00:00Z');
    await t.as('admin').post('/admin/billing/run').expect(200);
  });
  afterAll(() => t.close());

  it('counts rules and counters in the month so far, as the report and the balance do', async () => {
    const shown = await widget();
    expect(shown.monthToDate.credits).toBe('2.938333');
    const report = (await t.as('alice').get('/me/usage').expect(200)).body;
    expect(report.total.credits).toBe('2.938333');
    expect(await balanceOf(t, 'alice')).toBe('7.061667');
  });

  it("burns the instance, its IPv4 address and the counters' last 24 hours by the hour, and says the last is estimated", async () => {
    const shown = await widget();
    // Instance 0.01; IPv4 3 / 720 = 0.0041667; traffic 2.4 in the 24 hours before 14:00, 0.1 an hour.
    expect(shown.burnRateParts).toMatchObject({
      instances: { credits: '0.01' },
      rules: { credits: '0.004167' },
      counters: { credits: '0.1' },
    });
    expect(shown.burnRatePerHour.credits).toBe('0.114167');
    // 7.061667 / 0.114167 an hour.
    expect(shown.runwayHours).toBe(61.9);
    expect(shown.burnRateNote).toBe(
      "Counters' future use is unknown: estimated from the last 24 hours at $0.001 per hour.",
    );
    const html = (await t.as('alice').get('/me/widget.html').expect(200)).text;
    expect(html).toContain('Counters&#x27; future use is unknown: estimated from the last 24 hours');
  });

  it('warned by the same runway: within 72 hours only with the counters counted', async () => {
    // Without the counters' 0.1 an hour, 7.06 would last about 500 hours.
    expect(mails()).toEqual(['alice:runway-warning']);
  });

  it('follows the state: suspended, the instance burns nothing and the suspension fee starts', async () => {
    await sendEvent(t, 'vm-1', 'suspended', '2026-04-15T14:00:00Z').expect(200);
    expect((await widget()).burnRateParts).toMatchObject({
      instances: { credits: '0' },
      rules: { credits: '0.014167' },
      counters: { credits: '0.1' },
    });
  });

  it('drops the estimate once the counters were not used for a day', async () => {
    stopTheWorldAt(t, '2026-04-16T10:00:00Z');
    await t.as('admin').post('/admin/billing/run').expect(200);
    const shown = await widget();
    expect(shown.burnRateParts.counters.credits).toBe('0');
    expect(shown.burnRateNote).toBeNull();
  });
});
