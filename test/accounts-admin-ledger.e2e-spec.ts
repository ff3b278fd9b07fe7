import { topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

interface AdminEntry {
  id: number;
  kind: string;
  userId: string;
  amount: { credits: string };
  createdBy: string | null;
  reversesEntryId: number | null;
  refundable: { credits: string } | null;
}

describe('an account’s ledger as an admin reads it: who posted, what reverses what, what is left to refund', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const ledger = async (userId: string, query = '') =>
    (await t.as('admin').get(`/admin/accounts/${userId}/ledger${query}`).expect(200)).body;
  const refund = (userId: string, entryId: number, body: object) =>
    t.as('admin').post(`/admin/accounts/${userId}/ledger/${entryId}/refunds`, body);
  const entryById = (entries: AdminEntry[], id: number) => entries.find((entry) => entry.id === id) as AdminEntry;

  it('lists only that user’s entries, newest first, with the balance split and the creator', async () => {
    await topUp(t, 'alice', '30', 'pay-a1').expect(201);
    await topUp(t, 'bob', '99', 'pay-b1').expect(201);
    await t.as('admin').post('/admin/accounts/alice/grants', { amount: '5', reference: 'promo-a' }).expect(201);

    const page = await ledger('alice');
    expect(page.entries.map((e: AdminEntry) => [e.userId, e.kind, e.amount.credits, e.createdBy])).toEqual([
      ['alice', 'grant', '5', 'admin'],
      ['alice', 'topup', '30', 'admin'],
    ]);
    expect(page.nextBefore).toBeNull();
    expect(page.balance.credits).toBe('35');
    expect(page.credit).toMatchObject({ paid: { credits: '30' }, promotional: { credits: '5' } });
    // Only a top-up can be refunded; the grant says so with null.
    expect(page.entries[0].refundable).toBeNull();
    expect(page.entries[1].refundable).toMatchObject({ credits: '30', formatted: '$0.30' });
    expect((await ledger('nobody')).entries).toEqual([]);
  });

  it('is for admins only', async () => {
    await topUp(t, 'alice', '30', 'pay-a1').expect(201);
    await t.as('alice').get('/admin/accounts/alice/ledger').expect(403);
    await t.anonymous().get('/cloud-billing/admin/accounts/alice/ledger').expect(401);
  });

  it('pages with limit and before like /me/ledger, and names a bad limit', async () => {
    for (let i = 1; i <= 5; i++) await topUp(t, 'carol', String(i), `pay-c${i}`).expect(201);
    const first = await ledger('carol', '?limit=2');
    expect(first.entries.map((e: AdminEntry) => e.amount.credits)).toEqual(['5', '4']);
    const second = await ledger('carol', `?limit=2&before=${first.nextBefore}`);
    expect(second.entries.map((e: AdminEntry) => e.amount.credits)).toEqual(['3', '2']);
    const last = await ledger('carol', `?limit=2&before=${second.nextBefore}`);
    expect(last.entries.map((e: AdminEntry) => e.amount.credits)).toEqual(['1']);
    expect(last.nextBefore).toBeNull();
    const { body } = await t.as('admin').get('/admin/accounts/carol/ledger?limit=0').expect(400);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'limit', rule: 'min' })]);
  });

  it('counts refunds against their top-up, on any page, and shows 0 left after a chargeback', async () => {
    const { body: first } = await topUp(t, 'dave', '20', 'pay-d1').expect(201);
    const { body: second } = await topUp(t, 'dave', '10', 'pay-d2').expect(201);
    const topUpId = first.entry.id;

    const { body: refunded } = await refund('dave', topUpId, { amount: '8', reference: 'rf-1' }).expect(201);
    await refund('dave', topUpId, { amount: '2.5', reference: 'rf-2' }).expect(201);
    let page = await ledger('dave');
    expect(entryById(page.entries, topUpId).refundable?.credits).toBe('9.5');
    expect(entryById(page.entries, second.entry.id).refundable?.credits).toBe('10');
    expect(entryById(page.entries, refunded.entry.id)).toMatchObject({
      kind: 'topup-refund',
      reversesEntryId: topUpId,
      refundable: null,
    });

    // The top-up on a page of its own still counts the refunds posted after it.
    const older = await ledger('dave', `?limit=1&before=${second.entry.id}`);
    expect(older.entries).toEqual([
      expect.objectContaining({ id: topUpId, refundable: expect.objectContaining({ credits: '9.5' }) }),
    ]);

    await t.as('admin').post(`/admin/accounts/dave/ledger/${topUpId}/chargeback`, {}).expect(201);
    page = await ledger('dave');
    expect(entryById(page.entries, topUpId).refundable?.credits).toBe('0');
    expect(page.entries[0]).toMatchObject({
      kind: 'chargeback',
      amount: { credits: '-9.5' },
      reversesEntryId: topUpId,
    });
    expect(page.balance.credits).toBe('10');
  });
});
