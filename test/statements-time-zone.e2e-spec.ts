import { balanceOf, createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

interface Line {
  section: string;
  kind: string;
  description: string;
  detail: string | null;
  amount: { credits: string };
}

interface Statement {
  periodStart: string;
  periodEnd: string;
  openingBalance: { credits: string };
  closingBalance: { credits: string };
  lines: Line[];
}

/**
 * In a zone half an hour off UTC (Asia/Kolkata, +05:30) a month turns at :30 UTC, inside a settled hour: settlement
 * files the hour's two halves under two months, but the ledger charges the account-hour once, dated at its start,
 * and a statement takes the entries dated in its month. So a statement itemises the hours that start in its month,
 * and has no correction line at a month turn.
 *
 * Asha: a plan at 1 credit an hour, billed by the whole hour (the default granularity); vm-k registered at
 * 2026-03-31T18:30Z, the first instant of April in Kolkata; 2000 credits topped up then; billed until 2026-05-31T20:00Z
 * (01:30 on June 1st in Kolkata). April runs from 2026-03-31T18:30Z to 2026-04-30T18:30Z, May to 2026-05-31T18:30Z.
 */
/** The instance's line: its name and its plan's. */
const VM_K = expect.stringMatching(/^vm-k: Plan \d+$/);
const VM_R = expect.stringMatching(/^vm-r: Plan \d+$/);

describe(`monthly statements in a :30 time zone (${testEngine()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', { timeZone: 'Asia/Kolkata', suspensionThreshold: '-1000000' })
      .expect(200);
    const planId = await createPlan(t, { hourlyPrice: '1' });
    await setClock(t, '2026-03-31T18:30:00Z');
    await topUp(t, 'asha', '2000', 'pay-asha').expect(201);
    await registerInstance(t, 'vm-k', 'asha', planId, '2026-03-31T18:30:00Z');
    // Ravi: vm-r on a plan at 1 an hour, nothing while stopped, from 12:00Z on April 30th; its stop at 16:00Z is
    // reported at 18:15Z, re-rating the settled hours 16:00Z and 17:00Z while April is still open (its last hour,
    // 18:00Z, settles at 19:00Z and April closes then).
    const stoppable = await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0' });
    await setClock(t, '2026-04-30T12:00:00Z');
    await topUp(t, 'ravi', '100', 'pay-ravi').expect(201);
    await registerInstance(t, 'vm-r', 'ravi', stoppable, '2026-04-30T12:00:00Z');
    await setClock(t, '2026-04-30T18:15:00Z');
    await sendEvent(t, 'vm-r', 'stopped', '2026-04-30T16:00:00Z').expect(200);
    await setClock(t, '2026-05-31T20:00:00Z');
  });
  afterAll(() => t.close());

  const statement = async (month: string, user = 'asha'): Promise<Statement> =>
    (await t.as(user).get(`/me/statements/${month}`).expect(200)).body;
  const lines = (of: Statement) =>
    of.lines.map((line) => [line.section, line.kind, line.description, line.detail, line.amount.credits]);

  it("has a March statement for the hour that began in March: vm-k's first hour, 18:00–19:00Z", async () => {
    // The instance's first half hour lies in April in Kolkata, but it is the second half of the hour 18:00–19:00Z,
    // which began at 23:30 on March 31st: the ledger dates that hour's charge then (one entry per account-hour),
    // budgets count it in March's spend, and an entry is in one statement only, the one of the month it is dated
    // in. Putting it in April would make April hold an entry dated before its period; so March has a statement,
    // with that hour itemised (billed as a whole hour) and not as a correction. The top-up, posted at
    // 18:30Z, is April's.
    const march = await statement('2026-03');
    expect([march.periodStart, march.periodEnd]).toEqual(['2026-02-28T18:30:00.000Z', '2026-03-31T18:30:00.000Z']);
    expect(march.openingBalance.credits).toBe('0');
    expect(lines(march)).toEqual([['charges', 'instance', VM_K, '1 hours', '-1']]);
    expect(march.closingBalance.credits).toBe('-1');
  });

  it('itemises in April the 720 hours that start in it (19:00Z on March 31st to 18:00Z on April 30th)', async () => {
    const april = await statement('2026-04');
    expect(april.openingBalance.credits).toBe('-1');
    expect(lines(april)).toEqual([
      ['topups', 'topup', 'Top-up', 'ref. pay-asha', '2000'],
      ['charges', 'instance', VM_K, '720 hours', '-720'],
    ]);
    expect(april.closingBalance.credits).toBe('1279');
  });

  it('itemises in May its 744 hours (19:00Z on April 30th to 18:00Z on May 31st), June being open', async () => {
    const may = await statement('2026-05');
    expect(may.openingBalance.credits).toBe('1279');
    expect(lines(may)).toEqual([['charges', 'instance', VM_K, '744 hours', '-744']]);
    expect(may.closingBalance.credits).toBe('535');
    // June's first hour (19:00Z on May 31st) is charged and waits for June's statement.
    expect(await balanceOf(t, 'asha')).toBe('534');
    await t.as('asha').get('/me/statements/2026-06').expect(404);
  });

  it("itemises a re-rating before its month closed with the hours' current rows, not the superseded ones", async () => {
    // The hours 12:00Z–19:00Z start in April: 4 running (1 each), 3 stopped (free, but billed hours as the usage
    // report counts them). The ledger charged 16:00Z and 17:00Z 1 each and gave them back; the superseded rows of
    // those hours are not itemised again.
    const april = await statement('2026-04', 'ravi');
    expect(april.openingBalance.credits).toBe('0');
    expect(lines(april)).toEqual([
      ['topups', 'topup', 'Top-up', 'ref. pay-ravi', '100'],
      ['charges', 'instance', VM_R, '7 hours', '-4'],
    ]);
    expect(april.closingBalance.credits).toBe('96');
    const may = await statement('2026-05', 'ravi');
    expect([may.openingBalance.credits, lines(may), may.closingBalance.credits]).toEqual(['96', [], '96']);
    expect(await balanceOf(t, 'ravi')).toBe('96');
  });

  it('has no correction line in any statement', async () => {
    const months = ['2026-03', '2026-04', '2026-05'];
    const statements = [
      ...(await Promise.all(months.map((month) => statement(month)))),
      ...(await Promise.all(months.slice(1).map((month) => statement(month, 'ravi')))),
    ];
    expect(statements.flatMap((one) => one.lines).filter((line) => line.kind === 'correction')).toEqual([]);
  });
});
