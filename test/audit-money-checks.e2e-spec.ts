import { DataSource } from 'typeorm';
import { createPlan, registerInstance, setClock, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** Each money check of the audit, shown a database broken in exactly its way. */
describe('audit of ledger, rollups and settlement progress', () => {
  let t: TestApp;
  let sql: DataSource;
  beforeEach(async () => {
    t = await startTestApp();
    sql = t.app.get(DataSource);
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000' }).expect(200);
    const planId = await createPlan(t, { hourlyPrice: '1' });
    await topUp(t, 'alice', '50', 'pay-1').expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T13:01:00Z');
    await registerInstance(t, 'vm-2', 'alice', planId, '2026-03-10T12:30:00Z');
    await setClock(t, '2026-03-10T14:01:00Z');
  });
  afterEach(() => t.close());

  const breaches = async () => {
    const body = (await t.as('admin').get('/admin/audit').expect(200)).body;
    return body.breaches.map((b: { kind: string; detail: string }) => [b.kind, b.detail]);
  };

  it('is clean after a late registration charged under the second key', async () => {
    expect(await breaches()).toEqual([]);
  });

  it('reports an account-hour whose charge is missing from the ledger, though the balance matches it', async () => {
    const [entry] = await sql.query(
      "SELECT id, amount FROM cloud_billing_ledger_entries WHERE idempotency_key LIKE 'charge:alice:%:2'",
    );
    await sql.query('DELETE FROM cloud_billing_ledger_entries WHERE id = ?', [entry.id]);
    await sql.query('UPDATE cloud_billing_accounts SET balance = balance - ? WHERE user_id = ?', [
      Number(entry.amount),
      'alice',
    ]);
    await sql.query(
      'UPDATE cloud_billing_ledger_entries SET balance_after = balance_after - ? WHERE user_id = ? AND id > ?',
      [Number(entry.amount), 'alice', entry.id],
    );
    expect(await breaches()).toEqual([
      [
        'ledger-usage-mismatch',
        "the ledger took 1 credits for 2026-03-10T12:00:00.000Z, but that hour's usage rows charge 2",
      ],
    ]);
  });

  it('reports a monthly rollup and a daily rollup that no longer hold their rows', async () => {
    await sql.query("UPDATE cloud_billing_monthly_usage SET charge = charge + 1 WHERE instance_id = 'vm-2'");
    await sql.query(
      "UPDATE cloud_billing_daily_usage SET billed_seconds = billed_seconds - 60 WHERE user_id = 'alice'",
    );
    expect(await breaches()).toEqual([
      [
        'rollup-mismatch',
        expect.stringMatching(
          /^the 2026-03 rollup of plan \d+ holds 2\.000001 credits and 7200 s, but its usage rows add up to 2 credits and 7200 s$/,
        ),
      ],
      [
        'rollup-mismatch',
        'the daily rollup of 2026-03-10 holds 4 credits and 14340 s, but its usage rows add up to 4 credits and 14400 s',
      ],
    ]);
  });

  it('reports instances whose hours are due but unsettled once the hourly job has had its time', async () => {
    stopTheWorldAt(t, '2026-03-10T15:05:00Z');
    expect(await breaches()).toEqual([]);
    stopTheWorldAt(t, '2026-03-10T15:20:00Z');
    expect(await breaches()).toEqual([
      [
        'behind',
        expect.stringMatching(
          /^1 hour due but not settled, the oldest from 2026-03-10T14:00:00.000Z \(ended 20 min ago\)$/,
        ),
      ],
      ['behind', expect.stringMatching(/^1 hour due but not settled/)],
    ]);
  });
});
