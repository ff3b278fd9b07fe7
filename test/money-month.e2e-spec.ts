import { DemoProvisioner } from '../src/demo/demo-ports';
import { balanceOf, createPlan, registerInstance, setClock, topUp } from './support/billing-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

interface Line {
  section: string;
  kind: string;
  description: string;
  amount: { credits: string };
}
interface Statement {
  number: number;
  openingBalance: { credits: string };
  closingBalance: { credits: string; formatted: string };
  totals: Record<string, { credits: string }>;
  lines: Line[];
}

/**
 * April 2026 in UTC, one plan at 0.5 credits an hour (nothing while stopped); 1 credit = $0.01. Hand-computed:
 *
 * ana — tops up 300, redeems SPRING (100 promotional credits, valid 10 days: until Apr 11 00:00), sets a budget of
 * $2.00 (200 credits, alerts at 50/80/100 %, block-new) and an auto top-up (below 50, add 100, at most 300 a month).
 * Her instance runs from Apr 5 00:00 to the month's end: 624 h × 0.5 = 312.
 * - Apr 5–11: 144 h × 0.5 = 72 come out of the promotional credit; the other 28 expire on Apr 11.
 * - Apr 12: 50 of the first top-up are refunded. Apr 20: a top-up of 40, charged back on Apr 25.
 * - Spend reaches 100 (50 %) on Apr 13 08:00, 160 (80 %) on Apr 18 08:00, 200 (100 %) on Apr 21 16:00: new instances
 *   are blocked from then on.
 * - Balance = 400 − 28 − 50 − 0.5 × hours: it falls below 50 when the 16:00 hour of Apr 27 is charged (49.5). The
 *   gateway declines the first charge (one email), the retry adds 100.
 * - Closing: 300 + 40 + 100 + 100 − 312 − 50 − 40 − 28 = 110.
 * ben — tops up 400, runs all month (720 h = 360), budget $0.50 with action alert: one email at 100 %. Closing 40.
 * cal — tops up 400, runs from Apr 1, budget $0.50 with action stop: at 04:00 on Apr 5 (100 h, 50 credits) his
 * instance is stopped through the provisioner and costs nothing more. Closing 350.
 */
describe(`a scripted month of budgets, grants, auto top-up, refunds and chargebacks (${testEngine()})`, () => {
  let t: TestApp;
  let planId: number;
  /** Every entry but the hourly charges, oldest first, walking the ledger's pages. */
  const ledgerKinds = async (userId: string) => {
    const entries: { kind: string; amount: { credits: string } }[] = [];
    let before: number | null = null;
    do {
      const query: string = before === null ? '' : `&before=${before}`;
      const { body } = await t.as(userId).get(`/me/ledger?limit=200${query}`).expect(200);
      entries.push(...body.entries);
      before = body.nextBefore;
    } while (before !== null);
    return entries
      .filter((e) => e.kind !== 'charge')
      .map((e) => `${e.kind} ${e.amount.credits}`)
      .reverse();
  };
  const emails = async (userId: string, kind: string) =>
    ((await t.as(userId).get('/demo/outbox').expect(200)).body as { kind: string }[]).filter((m) => m.kind === kind);
  const statement = async (userId: string): Promise<Statement> =>
    (await t.as(userId).get('/me/statements/2026-04').expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lowBalanceThreshold: '0' })
      .expect(200);
    planId = await createPlan(t, { hourlyPrice: '0.5', stoppedHourlyPrice: '0' });
    await setClock(t, '2026-04-01T00:00:00Z');
    await t.as('admin').post('/admin/promo-codes', { code: 'SPRING', amount: '100', creditValidDays: 10 }).expect(201);

    await topUp(t, 'ana', '300', 'ana-pay-1').expect(201);
    await t.as('ana').post('/me/promo-codes/redeem', { code: 'spring', reference: 'ana-r1' }).expect(201);
    await t
      .as('ana')
      .put('/me/budget', { amount: '2', alertLevels: [50, 80, 100], action: 'block-new' })
      .expect(200);
    await t.as('ana').put('/me/auto-top-up', { threshold: '50', amount: '100', monthlyLimit: '300' }).expect(200);

    for (const user of ['ben', 'cal']) {
      await topUp(t, user, '400', `${user}-pay-1`).expect(201);
      await registerInstance(t, `vm-${user}`, user, planId, '2026-04-01T00:00:00Z');
    }
    await t
      .as('ben')
      .put('/me/budget', { amount: '0.5', alertLevels: [100], action: 'alert' })
      .expect(200);
    await t
      .as('cal')
      .put('/me/budget', { amount: '0.5', alertLevels: [100], action: 'stop' })
      .expect(200);

    await setClock(t, '2026-04-05T00:00:00Z');
    await registerInstance(t, 'vm-ana', 'ana', planId, '2026-04-05T00:00:00Z');
    await setClock(t, '2026-04-05T04:00:00Z');
  });
  afterAll(() => t.close());

  it('stops cal’s instance when his spend reaches his budget, and only alerts ben', async () => {
    expect(t.app.get(DemoProvisioner).calls.map((c) => `${c.action}:${c.instanceId}`)).toEqual(['stop:vm-cal']);
    expect(await emails('ben', 'budget-alert')).toHaveLength(1);
    expect(await emails('cal', 'budget-alert')).toHaveLength(1);
  });

  it('spends the promotional credit first and expires the rest on Apr 11', async () => {
    await setClock(t, '2026-04-11T00:00:00Z');
    expect(await balanceOf(t, 'ana')).toBe('300');
    const { body } = await t.as('ana').get('/me/account').expect(200);
    expect(body.credit).toMatchObject({ paid: { credits: '300' }, promotional: { credits: '0' }, nextExpiry: null });
  });

  it('refunds part of a top-up and charges back another', async () => {
    await setClock(t, '2026-04-12T00:00:00Z');
    const entries = (await t.as('ana').get('/me/ledger?limit=200').expect(200)).body.entries;
    const first = entries.find((e: { reference: string }) => e.reference === 'ana-pay-1');
    await t
      .as('admin')
      .post(`/admin/accounts/ana/ledger/${first.id}/refunds`, { amount: '50', reference: 'ana-rf-1' })
      .expect(201);
    await setClock(t, '2026-04-20T00:00:00Z');
    const { body: second } = await topUp(t, 'ana', '40', 'ana-pay-2').expect(201);
    await setClock(t, '2026-04-25T00:00:00Z');
    await t.as('admin').post(`/admin/accounts/ana/ledger/${second.entry.id}/chargeback`, {}).expect(201);
    // 400 − 28 − 50 − 0.5 × 480 h.
    expect(await balanceOf(t, 'ana')).toBe('82');
  });

  it('blocks ana’s new instances once her budget is used up', async () => {
    const { body } = await t.as('ana').get('/me/budget').expect(200);
    expect(body.blocksNewInstances).toBe(true);
    expect((await emails('ana', 'budget-alert')).length).toBe(3);
  });

  it('tops ana up automatically: the first charge is declined, the retry goes through', async () => {
    await t.as('admin').post('/demo/payments/fail-next', { count: 1 }).expect(200);
    await setClock(t, '2026-04-27T17:00:00Z');
    expect(await balanceOf(t, 'ana')).toBe('49.5');
    expect(await emails('ana', 'auto-top-up-failed')).toHaveLength(1);
    await setClock(t, '2026-04-27T18:00:00Z');
    expect(await balanceOf(t, 'ana')).toBe('149');
  });

  it('closes April with statements that match the hand-computed month to the micro-credit', async () => {
    await setClock(t, '2026-05-01T00:00:00Z');
    expect(await balanceOf(t, 'ana')).toBe('110');
    expect(await balanceOf(t, 'ben')).toBe('40');
    expect(await balanceOf(t, 'cal')).toBe('350');
    expect(await ledgerKinds('ana')).toEqual([
      'topup 300',
      'grant 100',
      'expiry -28',
      'topup-refund -50',
      'topup 40',
      'chargeback -40',
      'topup 100',
    ]);

    const ana = await statement('ana');
    expect(ana.openingBalance.credits).toBe('0');
    expect(ana.lines.map((line) => `${line.section} ${line.amount.credits}`)).toEqual([
      'topups 300',
      'topups 40',
      'topups 100',
      'grants 100',
      'charges -312',
      'topup-refunds -50',
      'chargebacks -40',
      'expiries -28',
    ]);
    expect(ana.closingBalance).toMatchObject({ credits: '110', formatted: '$1.10' });
    expect((await statement('ben')).closingBalance.credits).toBe('40');
    const cal = await statement('cal');
    expect(cal.lines.map((line) => `${line.section} ${line.amount.credits}`)).toEqual(['topups 400', 'charges -50']);
    expect(cal.closingBalance.credits).toBe('350');
    // Each budget alert once per level, however many runs there were.
    expect((await emails('ana', 'budget-alert')).length).toBe(3);
    const audit = (await t.as('admin').get('/admin/audit').expect(200)).body;
    expect(audit).toMatchObject({ ok: true, breaches: [] });
  });
});
