import { createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { startDemoApp, startTestApp, TestApp } from './support/test-app';

interface Money {
  credits: string;
  amount: string;
  currency: string;
  formatted: string;
}

interface Row {
  userId?: string;
  instanceId: string;
  cost: Money;
  adjusted: boolean;
}

const eur = (amount: string, credits: string) => ({
  credits,
  amount,
  currency: 'EUR',
  formatted: amount.startsWith('-') ? `-€${amount.slice(1)}` : `€${amount}`,
});
const hour = (clock: string) => `2026-03-10T${clock}:00.000Z`;
const reason = (hourOf: string, id: string) => `usage ${hourOf}:00Z of ${id} re-rated after a late "stopped" event`;

/** Adds credit strings exactly (micro-credits), as a reader checking the report's arithmetic would. */
const sumCredits = (amounts: string[]) =>
  amounts.map((credits) => Math.round(Number(credits) * 1_000_000)).reduce((sum, micros) => sum + micros, 0);

/**
 * A stop the host reports an hour and a half late: the report says which instance was re-rated and lists the
 * corrections, while its costs and total (already corrected) count each hour once.
 */
describe('usage report after a re-rating', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The demo, for its usage page.
    t = await startDemoApp();
    const admin = t.as('admin');
    await admin
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.5', prefix: '€', decimals: 2 })
      .expect(201);
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    await admin.patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
    const plan = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0' });
    await topUp(t, 'alice', '100', 'alice-1').expect(201);
    await topUp(t, 'bob', '100', 'bob-1').expect(201);
    await registerInstance(t, 'vm-web', 'alice', plan, '2026-03-10T12:00:00Z');
    await registerInstance(t, 'vm-db', 'alice', plan, '2026-03-10T12:00:00Z');
    await registerInstance(t, 'vm-bob', 'bob', plan, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T15:01:00Z');
    // 13:00 and 14:00 were charged in full; the stop at 13:30 makes them half an hour and nothing.
    await sendEvent(t, 'vm-web', 'stopped', '2026-03-10T13:30:00Z').expect(200);
  });
  afterAll(() => t.close());

  const aliceAdjustments = [
    {
      instanceId: 'vm-web',
      name: 'vm-web',
      hour: hour('13:00'),
      amount: eur('-0.25', '-0.5'),
      reason: reason('2026-03-10T13', 'vm-web'),
    },
    {
      instanceId: 'vm-web',
      name: 'vm-web',
      hour: hour('14:00'),
      amount: eur('-0.50', '-1'),
      reason: reason('2026-03-10T14', 'vm-web'),
    },
  ];

  it('marks the re-rated instance, lists its adjustments by hour and counts them once in the total', async () => {
    const report = (await t.as('alice').get('/me/usage?month=2026-03').expect(200)).body;
    expect(report.rows.map((r: Row) => [r.instanceId, r.adjusted, r.cost.credits])).toEqual([
      ['vm-db', false, '3'],
      ['vm-web', true, '1.5'],
    ]);
    expect(report.adjustments).toEqual(aliceAdjustments);
    // 3 + 1.5, not 3 + 1.5 - 1.5: the rows were corrected already, the lines only explain them.
    expect(report.total).toEqual(eur('2.25', '4.5'));
    expect(sumCredits(report.rows.map((r: Row) => r.cost.credits))).toBe(sumCredits([report.total.credits]));
  });

  it('shows neither the marks nor the lines to another user or in another month', async () => {
    const bob = (await t.as('bob').get('/me/usage?month=2026-03').expect(200)).body;
    expect(bob.rows.map((r: Row) => [r.instanceId, r.adjusted])).toEqual([['vm-bob', false]]);
    expect(bob.adjustments).toEqual([]);
    const february = (await t.as('alice').get('/me/usage?month=2026-02').expect(200)).body;
    expect(february.adjustments).toEqual([]);
  });

  it("gives an admin everyone's adjustments, each saying whose it is, in the admin's currency", async () => {
    const report = (await t.as('admin').get('/admin/usage?month=2026-03').expect(200)).body;
    expect(report.rows.map((r: Row) => [r.userId, r.instanceId, r.adjusted])).toEqual([
      ['alice', 'vm-db', false],
      ['alice', 'vm-web', true],
      ['bob', 'vm-bob', false],
    ]);
    expect(
      report.adjustments.map((line: { userId: string; hour: string; amount: Money }) => [
        line.userId,
        line.hour,
        line.amount.credits,
        line.amount.currency,
      ]),
    ).toEqual([
      ['alice', hour('13:00'), '-0.5', 'USD'],
      ['alice', hour('14:00'), '-1', 'USD'],
    ]);
    const one = (await t.as('admin').get('/admin/usage?month=2026-03&userId=bob').expect(200)).body;
    expect(one.adjustments).toEqual([]);
  });

  it('exports the mark as a column and the adjustments after the total line', async () => {
    const csv = (await t.as('alice').get('/me/usage.csv?month=2026-03').expect(200)).text;
    const records = csv.trimEnd().split('\r\n');
    expect(records[0]).toBe(
      'Instance ID,Instance,Kind,Plan,Location,Hourly rate (EUR),Hourly rate (credits),Hours,' +
        'Key,Item,Quantity,Unit,Rate,Cost (EUR),Cost (credits),Adjusted',
    );
    expect(records[1]).toMatch(/^vm-db,vm-db,.*,1\.50,3,no$/);
    expect(records[2]).toMatch(/^vm-web,vm-web,.*,0\.75,1\.5,yes$/);
    expect(records[3]).toBe('Total,,,,,,,,,,,,,2.25,4.5,');
    expect(records.slice(4)).toEqual([
      'Adjustment hour (UTC),Instance ID,Instance,Reason,,,,,,,,,,Amount (EUR),Amount (credits),',
      `${hour('13:00')},vm-web,vm-web,"${reason('2026-03-10T13', 'vm-web').replace(/"/g, '""')}",,,,,,,,,,-0.25,-0.5,`,
      `${hour('14:00')},vm-web,vm-web,"${reason('2026-03-10T14', 'vm-web').replace(/"/g, '""')}",,,,,,,,,,-0.50,-1,`,
    ]);
    // Every record as wide as the header, so a spreadsheet keeps its columns.
    expect(new Set(records.map((r) => r.replace(/"[^"]*(""[^"]*)*"/g, 'x').split(',').length))).toEqual(new Set([16]));
  });

  it('marks the row on the usage page and lists the adjustments below the rows', async () => {
    const page = (
      await t.anonymous().get('/panel/usage?month=2026-03').set('Cookie', 'cloud_billing_demo_user=alice').expect(200)
    ).text;
    const rows = page.slice(page.indexOf('data-testid="usage-rows"'), page.indexOf('data-testid="usage-adjustments"'));
    expect(rows.match(/data-testid="usage-adjusted"/g)).toHaveLength(1);
    expect(rows).toMatch(/€0\.75 <span class="badge[^"]*" title="Re-rated after a late host event[^"]*"/);
    const adjustments = page.slice(page.indexOf('data-testid="usage-adjustments"'));
    expect(adjustments).toContain('10 Mar, 13:00');
    expect(adjustments).toContain('-€0.25');
    expect(adjustments).toContain('-€0.50');
    expect(adjustments).toContain('re-rated after a late &quot;stopped&quot; event');

    const bob = (
      await t.anonymous().get('/panel/usage?month=2026-03').set('Cookie', 'cloud_billing_demo_user=bob').expect(200)
    ).text;
    expect(bob).not.toContain('usage-adjusted');
    expect(bob).not.toContain('usage-adjustments');
  });

  it("adds the user column to an admin's export of everyone", async () => {
    const csv = (await t.as('admin').get('/admin/usage.csv?month=2026-03').expect(200)).text;
    const records = csv.trimEnd().split('\r\n');
    expect(records[0]).toMatch(/^User ID,Instance ID,.*,Adjusted$/);
    expect(records.slice(1, 4).map((r) => [r.split(',')[0], r.split(',').pop()])).toEqual([
      ['alice', 'no'],
      ['alice', 'yes'],
      ['bob', 'no'],
    ]);
    expect(records[5]).toMatch(/^Adjustment hour \(UTC\),User ID,Instance ID,Instance,Reason,/);
    expect(records[6]).toMatch(new RegExp(`^${hour('13:00').replace(/\./g, '\\.')},alice,vm-web,vm-web,`));
  });
});

/** A re-rating across a month's end: each corrected hour is listed in the month it starts in, and only there. */
describe('usage report after a re-rating across months', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clockStart: new Date('2026-03-31T22:00:00Z') });
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
    const plan = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0' });
    await topUp(t, 'alice', '100', 'alice-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', plan, '2026-03-31T22:00:00Z');
    await setClock(t, '2026-04-01T01:01:00Z');
    await sendEvent(t, 'vm-1', 'stopped', '2026-03-31T23:30:00Z').expect(200);
  });
  afterAll(() => t.close());

  it('splits the adjustments between March and April', async () => {
    const march = (await t.as('alice').get('/me/usage?month=2026-03').expect(200)).body;
    const april = (await t.as('alice').get('/me/usage?month=2026-04').expect(200)).body;
    const lines = (report: { adjustments: { hour: string; amount: Money }[] }) =>
      report.adjustments.map((line) => [line.hour, line.amount.credits]);
    expect(lines(march)).toEqual([['2026-03-31T23:00:00.000Z', '-0.5']]);
    expect(lines(april)).toEqual([['2026-04-01T00:00:00.000Z', '-1']]);
    expect(march.rows.map((r: Row) => [r.adjusted, r.cost.credits])).toEqual([[true, '1.5']]);
    expect(april.rows.map((r: Row) => [r.adjusted, r.cost.credits])).toEqual([[true, '0']]);
  });
});
