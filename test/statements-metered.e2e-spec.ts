import { topUp } from './support/billing-fixtures';
import { meteredApril } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

interface Line {
  section: string;
  kind: string;
  description: string;
  detail: string | null;
  amount: { credits: string };
}

interface ReportRow {
  kind: string;
  name: string;
  plan?: string;
  hours?: number;
  item?: string;
  quantity?: string;
  unit?: string;
  cost: { credits: string };
}

/**
 * A statement itemises rules and counters from the hours it charges, worded as the usage report words them: in UTC a
 * month's hours are its report's rows, so the two agree line for line (meteredApril: an instance, two resource
 * rules, two counters, one report billed late as an adjustment in its hour).
 */
describe(`statement lines for rules and counters (${testEngine()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lateEventWindowHours: 72 })
      .expect(200);
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    // Its last run settles April's last hour, and April's statement closes after it.
    await meteredApril(t, 'alice');
  });
  afterAll(() => t.close());

  const charges = async () => {
    const april = (await t.as('alice').get('/me/statements/2026-04').expect(200)).body as { lines: Line[] };
    return april.lines.filter((line) => line.section === 'charges');
  };

  it("itemises the instance's hours, each rule's unit-hours and each counter's usage, the late report included", async () => {
    expect((await charges()).map((line) => [line.kind, line.description, line.detail, line.amount.credits])).toEqual([
      ['instance', expect.stringMatching(/^vm-1: Plan \d+$/), '720 hours', '-7.095'],
      ['rule', 'vm-1: IPv4 address', '720 address-hours', '-3'],
      ['rule', 'vm-1: Suspension fee', '10.5 instance-hours', '-0.105'],
      ['counter', 'vm-1: Disk read requests', '4000000 requests', '-1.6'],
      ['counter', 'vm-1: Outgoing traffic', '1800 GB', '-8'],
    ]);
  });

  it("says what the month's usage report says, line for line", async () => {
    const report = (await t.as('alice').get('/me/usage?month=2026-04').expect(200)).body as { rows: ReportRow[] };
    const fromReport = report.rows.map((row) => [
      row.kind,
      `${row.name}: ${row.kind === 'instance' ? row.plan : row.item}`,
      row.kind === 'instance' ? `${row.hours} hours` : `${row.quantity} ${row.unit}`,
      `-${row.cost.credits}`,
    ]);
    const fromStatement = (await charges()).map((line) => [
      line.kind,
      line.description,
      line.detail,
      line.amount.credits,
    ]);
    expect(fromStatement).toEqual(fromReport);
  });
});
