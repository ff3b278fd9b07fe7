import { createPlan, registerInstance, sendEvent, setClock, topUp } from './support/billing-fixtures';
import { IPV4_ADDRESS_RULE } from './support/metering-fixtures';
import { pdfTextRuns } from './support/pdf-text';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

interface Money {
  credits: string;
  amount: string;
  formatted: string;
}
interface Line {
  section: string;
  kind: string;
  description: string;
  detail: string | null;
  instanceId: string | null;
  amount: Money;
}
interface Statement {
  number: number;
  month: string;
  openingBalance: Money;
  closingBalance: Money;
  totals: Record<string, Money>;
  lines: Line[];
}

const micros = (credits: string) => Math.round(Number(credits) * 1_000_000);
const sum = (amounts: string[]) => amounts.reduce((total, credits) => total + micros(credits), 0);

/**
 * April 2026 (UTC) for alice: two instances on a plan at 0.1 an hour (nothing while stopped) with the IPv4 rule
 * (3 per 30 days), top-ups of 150 and 50 and an adjustment of -2.5; bob only tops up 10. Hand-computed: each instance
 * runs 720 hours (72) and holds its address all month (3), so April charges 150 and closes at 47.5.
 */
describe(`monthly statements (${testEngine()})`, () => {
  let t: TestApp;
  const statement = async (month: string, user = 'alice'): Promise<Statement> =>
    (await t.as(user).get(`/me/statements/${month}`).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lateEventWindowHours: 72 })
      .expect(200);
    const planId = await createPlan(t, { hourlyPrice: '0.1', stoppedHourlyPrice: '0' });
    await t.as('admin').post(`/admin/plans/${planId}/rules`, IPV4_ADDRESS_RULE).expect(201);
    await setClock(t, '2026-04-01T00:00:00Z');
    await topUp(t, 'alice', '150', 'pay-a1').expect(201);
    await registerInstance(t, 'vm-a', 'alice', planId, '2026-04-01T00:00:00Z');
    await registerInstance(t, 'vm-b', 'alice', planId, '2026-04-01T00:00:00Z');
    await setClock(t, '2026-04-02T09:00:00Z');
    await topUp(t, 'bob', '10', 'pay-b1').expect(201);
    await setClock(t, '2026-04-15T10:00:00Z');
    await topUp(t, 'alice', '50', 'pay-a2').expect(201);
    await setClock(t, '2026-04-20T10:00:00Z');
    await t
      .as('admin')
      .post('/admin/accounts/alice/credits', {
        kind: 'adjustment',
        amount: '-2.5',
        reference: 'fix-1',
        note: 'manual correction',
      })
      .expect(201);
    await setClock(t, '2026-04-30T23:30:00Z');
  });
  afterAll(() => t.close());

  it('has no statement while the month is open, nor before its last hour is settled', async () => {
    await t.as('alice').get('/me/statements/2026-04').expect(404);
    expect((await t.as('alice').get('/me/statements').expect(200)).body).toEqual([]);
  });

  it("closes April once its last hour is settled: alice's is number 1 and bob's number 2", async () => {
    await setClock(t, '2026-05-01T00:00:00Z');
    const april = await statement('2026-04');
    expect(april.number).toBe(1);
    expect((await statement('2026-04', 'bob')).number).toBe(2);
    expect(april.openingBalance.credits).toBe('0');
    expect(april.lines.map((line) => [line.section, line.kind, line.description, line.amount.credits])).toEqual([
      ['topups', 'topup', 'Top-up', '150'],
      ['topups', 'topup', 'Top-up', '50'],
      ['charges', 'instance', 'vm-a: Plan ' + planNumber(april, 'vm-a'), '-72'],
      ['charges', 'rule', 'vm-a: IPv4 address', '-3'],
      ['charges', 'instance', 'vm-b: Plan ' + planNumber(april, 'vm-b'), '-72'],
      ['charges', 'rule', 'vm-b: IPv4 address', '-3'],
      ['adjustments', 'adjustment', 'Adjustment: manual correction', '-2.5'],
    ]);
    expect(april.lines[2].detail).toBe('720 hours');
    expect(april.totals.charges.credits).toBe('-150');
    expect(april.closingBalance.credits).toBe('47.5');
    // 1 credit = $0.01 (the default currency), rounded once per amount.
    expect(april.closingBalance.formatted).toBe('$0.48');
    // Nothing of May is charged yet, so the closing balance is the balance.
    expect((await t.as('alice').get('/me/account').expect(200)).body.balance.credits).toBe('47.5');
  });

  it("answers 404 for another user's month and 400 for a malformed one", async () => {
    await t.as('carol').get('/me/statements/2026-04').expect(404);
    const bad = await t.as('alice').get('/me/statements/2026-4').expect(400);
    expect(JSON.stringify(bad.body)).toContain('month');
  });

  it('lists the statements, and closes each month once however often billing runs', async () => {
    await t.as('admin').post('/admin/billing/run').expect(200);
    await setClock(t, '2026-05-01T00:20:00Z');
    const list = (await t.as('alice').get('/me/statements').expect(200)).body;
    expect(list.map((s: Statement) => [s.number, s.month])).toEqual([[1, '2026-04']]);
    const admin = (await t.as('admin').get('/admin/statements?month=2026-04').expect(200)).body;
    expect(admin.map((s: { userId: string; number: number }) => [s.userId, s.number])).toEqual([
      ['alice', 1],
      ['bob', 2],
    ]);
  });

  it('exports the statement as CSV (?format=csv or Accept: text/csv), the lines adding up to the closing balance', async () => {
    const csv = (await t.as('alice').get('/me/statements/2026-04?format=csv').expect(200)).text;
    const accepted = await t.as('alice').get('/me/statements/2026-04').set('Accept', 'text/csv').expect(200);
    expect(accepted.headers['content-type']).toMatch(/^text\/csv/);
    expect(accepted.text).toBe(csv);
    const [header, ...records] = csv.trimEnd().split('\r\n');
    expect(header).toBe(
      'Statement,Month,Section,Kind,Date,Description,Detail,Instance ID,Amount (USD),Amount (credits)',
    );
    expect(records[0]).toBe('1,2026-04,opening,,2026-04-01T00:00:00.000Z,Opening balance,,,0.00,0');
    expect(records[records.length - 1]).toBe('1,2026-04,closing,,2026-05-01T00:00:00.000Z,Closing balance,,,0.48,47.5');
    const lineCredits = records.slice(1, -1).map((record) => record.split(',').at(-1) as string);
    expect(sum(lineCredits)).toBe(micros('47.5'));
  });

  it('gives an admin every statement of the month in one CSV', async () => {
    const csv = (await t.as('admin').get('/admin/statements.csv?month=2026-04').expect(200)).text;
    const records = csv.trimEnd().split('\r\n').slice(1);
    expect(records.filter((record) => record.includes(',closing,'))).toEqual([
      'alice,USD,1,2026-04,closing,,2026-05-01T00:00:00.000Z,Closing balance,,,0.48,47.5',
      'bob,USD,2,2026-04,closing,,2026-05-01T00:00:00.000Z,Closing balance,,,0.10,10',
    ]);
    await t.as('alice').get('/admin/statements?month=2026-04').expect(403);
    await t.as('admin').get('/admin/statements').expect(400);
  });

  it('renders the statement as a PDF whose text has the number, lines and balances', async () => {
    const response = await t
      .as('alice')
      .get('/me/statements/2026-04/pdf')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = pdfTextRuns(response.body as Buffer);
    expect(text).toEqual(
      expect.arrayContaining([
        'Statement 1: April 2026',
        'Account: alice',
        'Opening balance',
        'Closing balance',
        '$0.48',
        '47.5',
        'vm-a: IPv4 address (720 address-hours)',
        'Adjustment: manual correction (ref. fix-1)',
        '-2.5',
      ]),
    );
  });

  it('keeps April as closed: a late re-rating of April lands in May, and numbers go on without gaps', async () => {
    const before = await statement('2026-04');
    // vm-b stopped at 20:00 on April 30th, reported late: four hours of 0.1 come back, dated in April.
    await sendEvent(t, 'vm-b', 'stopped', '2026-04-30T20:00:00Z').expect(200);
    await t
      .as('admin')
      .post('/admin/accounts/alice/credits', { kind: 'adjustment', amount: '1', reference: 'fix-2', note: 'goodwill' })
      .expect(201);
    await setClock(t, '2026-06-01T00:00:00Z');
    expect(await statement('2026-04')).toEqual(before);
    const may = await statement('2026-05');
    expect(may.number).toBe(3);
    expect((await statement('2026-05', 'bob')).number).toBe(4);
    expect(may.openingBalance.credits).toBe('47.5');
    const correction = may.lines.find((line) => line.kind === 'correction');
    expect(correction?.amount.credits).toBe('0.4');
    expect(may.lines.find((line) => line.kind === 'adjustment')?.amount.credits).toBe('1');
    expect(sum([may.openingBalance.credits, ...may.lines.map((line) => line.amount.credits)])).toBe(
      micros(may.closingBalance.credits),
    );
    expect((await t.as('alice').get('/me/account').expect(200)).body.balance.credits).toBe(may.closingBalance.credits);
    // bob carried 10 with nothing else: a statement of his balance alone.
    const bobMay = await statement('2026-05', 'bob');
    expect([bobMay.openingBalance.credits, bobMay.lines, bobMay.closingBalance.credits]).toEqual(['10', [], '10']);
  });
});

/** The plan's number in its generated name ("Plan 3"), read from the line itself. */
function planNumber(statement: Statement, instanceId: string): string {
  const line = statement.lines.find((l) => l.instanceId === instanceId && l.kind === 'instance');
  return line?.description.split('Plan ')[1] ?? '?';
}
