import { DataSource } from 'typeorm';
import { createPlan, registerInstance, setClock, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The audit's credit grant checks: clean after hours charged on grants and a grant expired, then shown a database
 * broken in each way. The test clock starts at 2026-03-10T12:00:00Z.
 */
describe('audit of credit grants', () => {
  let t: TestApp;
  let sql: DataSource;
  const grant = (userId: string, body: object) =>
    t.as('admin').post(`/admin/accounts/${userId}/grants`, body).expect(201);

  beforeEach(async () => {
    t = await startTestApp();
    sql = t.app.get(DataSource);
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000' }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '1' });
    // alice: 12:00–15:00 are paid by the promotional grant (4 of 5, 1 expires at 15:30), 16:00 by the paid one.
    await topUp(t, 'alice', '10', 'pay-a').expect(201);
    await grant('alice', { amount: '5', reference: 'promo-a', expiresAt: '2026-03-10T15:30:00Z' });
    await grant('alice', { amount: '3', reference: 'paid-a', category: 'paid' });
    await registerInstance(t, 'vm-a', 'alice', planId, '2026-03-10T12:00:00Z');
    // bob: nothing draws on his grant; it all expires.
    await grant('bob', { amount: '4', reference: 'promo-b', expiresAt: '2026-03-10T14:00:00Z' });
    await setClock(t, '2026-03-10T17:01:00Z');
  });
  afterEach(() => t.close());

  const breaches = async () => {
    const body = (await t.as('admin').get('/admin/audit').expect(200)).body;
    return body.breaches.map((b: { kind: string; userId: string; detail: string }) => [b.kind, b.userId, b.detail]);
  };
  const grantId = async (reference: string) =>
    Number(
      (
        await sql.query('SELECT id FROM cloud_billing_credit_grants WHERE idempotency_key LIKE ?', [`%:${reference}`])
      )[0].id,
    );

  it('is clean after hours charged on grants and a grant expired', async () => {
    const { body: grants } = await t.as('admin').get('/admin/accounts/alice/grants').expect(200);
    expect(
      grants.map((g: { remaining: { credits: string }; closedAt: string | null }) => [
        g.remaining.credits,
        g.closedAt !== null,
      ]),
    ).toEqual([
      ['2', false],
      ['0', true],
    ]);
    expect(await breaches()).toEqual([]);
  });

  it('reports a grant whose remainder was changed by hand', async () => {
    const id = await grantId('paid-a');
    await sql.query('UPDATE cloud_billing_credit_grants SET remaining = remaining + 1000000 WHERE id = ?', [id]);
    expect(await breaches()).toEqual([
      ['grant-unbalanced', 'alice', `grant ${id} is 3 credits, but 3 left + 1 drawn + 0 expired make 4`],
    ]);
  });

  it('reports a grant below 0, and a closed one that still holds credit', async () => {
    const paid = await grantId('paid-a');
    const promo = await grantId('promo-a');
    await sql.query('UPDATE cloud_billing_credit_grants SET remaining = -1000000 WHERE id = ?', [paid]);
    await sql.query('UPDATE cloud_billing_credit_grants SET remaining = 1000000 WHERE id = ?', [promo]);
    expect(await breaches()).toEqual([
      ['grant-unbalanced', 'alice', `grant ${promo} is 5 credits, but 1 left + 4 drawn + 1 expired make 6`],
      ['grant-state', 'alice', `grant ${promo} was closed at 2026-03-10T17:01:00.000Z but still holds 1 credits`],
      ['grant-unbalanced', 'alice', `grant ${paid} is 3 credits, but -1 left + 1 drawn + 0 expired make 0`],
      ['grant-negative', 'alice', `grant ${paid} has -1 credits left`],
    ]);
  });

  it('reports a charge whose draws on grants exceed what it charged', async () => {
    const [charge] = await sql.query(
      "SELECT idempotency_key FROM cloud_billing_ledger_entries WHERE user_id = 'alice' AND kind = 'charge' AND hour_start_ms = ?",
      [Date.parse('2026-03-10T12:00:00Z')],
    );
    const paid = await grantId('paid-a');
    // The paid grant balances (its remainder goes down by the extra draw); the charge does not.
    await sql.query('INSERT INTO cloud_billing_grant_draws (entry_key, grant_id, amount) VALUES (?, ?, 500000)', [
      charge.idempotency_key,
      paid,
    ]);
    await sql.query('UPDATE cloud_billing_credit_grants SET remaining = remaining - 500000 WHERE id = ?', [paid]);
    expect(await breaches()).toEqual([
      [
        'grant-overdrawn',
        'alice',
        `${charge.idempotency_key} drew 1.5 credits from grants, but the entry is -1 (draws must be positive and add up to at most the entry)`,
      ],
    ]);
  });

  it('reports an expiry overdue once a run has had its time, only when its owner has nothing left to settle', async () => {
    const planId = await createPlan(t, { hourlyPrice: '1' });
    await grant('carol', { amount: '2', reference: 'promo-c', expiresAt: '2026-03-10T18:00:00Z' });
    await grant('dave', { amount: '2', reference: 'promo-d', expiresAt: '2026-03-10T18:00:00Z' });
    await registerInstance(t, 'vm-d', 'dave', planId, '2026-03-10T17:01:00Z');
    // No run since 17:01. At 18:10 the 18:01 run may still be going; at 18:20 it has had its time.
    stopTheWorldAt(t, '2026-03-10T18:10:00Z');
    expect(await breaches()).toEqual([]);
    stopTheWorldAt(t, '2026-03-10T18:20:00Z');
    const grants = (await breaches()).filter(([kind]: [string]) => kind.startsWith('grant-'));
    // dave's grant waits for his 17:00 hour, which the audit reports as behind instead.
    expect(grants).toEqual([
      [
        'grant-expiry-overdue',
        'carol',
        `grant ${await grantId('promo-c')} expired at 2026-03-10T18:00:00.000Z and every hour before that is settled, but it is still open with 2 credits left`,
      ],
    ]);
    await setClock(t, '2026-03-10T18:21:00Z');
    expect(await breaches()).toEqual([]);
  });
});
