import { usageCsv } from '../src/reports/usage-csv';
import { createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { createMeteredPlan, reportUsage } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}:00Z`;

/**
 * The admin's all-users CSV is streamed page by page (pages of 2 users, then 2 adjustments, here): the download
 * must be the very CSV of the whole month's report (the JSON one, read at once), so no row is lost, repeated or
 * moved at a page's edge, and the total is the month's.
 */
describe(`all-users usage CSV in pages (${testEngine()})`, () => {
  let t: TestApp;
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];

  beforeAll(async () => {
    t = await startTestApp({ tuning: { reports: { exportPageSize: 2 } } });
    await t
      .as('admin')
      .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lateEventWindowHours: 72 })
      .expect(200);
    const small = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0' });
    const large = await createPlan(t, { hourlyPrice: '2.5', stoppedHourlyPrice: '0' });
    const metered = await createMeteredPlan(t);
    for (const user of users) await topUp(t, user, '100', `${user}-1`).expect(201);
    await registerInstance(t, 'vm-a1', 'alice', small, at('12:00'));
    await registerInstance(t, 'vm-a2', 'alice', large, at('12:00'));
    await registerInstance(t, 'vm-b1', 'bob', small, at('12:00'));
    await registerInstance(t, 'vm-c1', 'carol', metered, at('12:00'));
    await registerInstance(t, 'vm-d1', 'dave', small, at('12:00'));
    await registerInstance(t, 'vm-e1', 'erin', large, at('12:00'));
    await reportUsage(t, 'vm-c1', 'traffic-out', '600', at('12:30')).expect(201);
    await setClock(t, at('13:00'));
    // Dave's instance on two plans: two rows for one instance.
    await sendEvent(t, 'vm-d1', 'resized', at('13:00'), large).expect(200);
    await setClock(t, at('15:01'));
    // Late stops: re-ratings, so adjusted rows and three corrections after the total (two pages of them).
    await sendEvent(t, 'vm-b1', 'stopped', at('13:30')).expect(200);
    await sendEvent(t, 'vm-e1', 'stopped', at('14:30')).expect(200);
  });
  afterAll(() => t.close());

  it("is the whole month's report as CSV, whatever the page edges", async () => {
    const report = (await t.as('admin').get('/admin/usage?month=2026-03').expect(200)).body;
    const download = await t.as('admin').get('/admin/usage.csv?month=2026-03').expect(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toBe('attachment; filename="usage-2026-03-all-users.csv"');
    // The report itself has what makes the pages matter: every user, rule and counter lines, adjustments.
    expect([...new Set(report.rows.map((row: { userId: string }) => row.userId))]).toEqual(users);
    expect(report.rows.map((row: { kind: string }) => row.kind)).toEqual(expect.arrayContaining(['rule', 'counter']));
    expect(report.rows.filter((row: { adjusted?: boolean }) => row.adjusted)).toHaveLength(2);
    expect(report.adjustments).toHaveLength(3);
    expect(download.text).toBe(usageCsv(report));
  });

  it('downloads a month without usage as its header and a zero total', async () => {
    const text = (await t.as('admin').get('/admin/usage.csv?month=2026-02').expect(200)).text;
    const records = text.split('\r\n');
    expect(records).toHaveLength(3);
    expect(records[0]).toMatch(/^User ID,Instance ID,/);
    expect(records[1]).toMatch(/^Total,/);
  });

  it('answers a month still to come as a JSON 400, not as a download', async () => {
    const response = await t.as('admin').get('/admin/usage.csv?month=2026-04').expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });
});
