import { parseCredits } from '../src/common/money';
import { startTestApp, TestApp } from './support/test-app';

interface EntryBody {
  id: number;
  kind: string;
  amount: { credits: string };
  balanceAfter: { credits: string };
  reference: string;
}

describe('accounts and the ledger, as users and admins read them', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const credit = (userId: string, body: object) =>
    t.as('admin').post(`/admin/accounts/${userId}/credits`, body).expect(201);

  async function wholeLedger(userId: string, limit: number): Promise<EntryBody[]> {
    const entries: EntryBody[] = [];
    let before: number | null = null;
    do {
      const query: string = `/me/ledger?limit=${limit}${before === null ? '' : `&before=${before}`}`;
      const { body } = await t.as(userId).get(query).expect(200);
      expect(body.entries.length).toBeLessThanOrEqual(limit);
      entries.push(...body.entries);
      before = body.nextBefore;
    } while (before !== null);
    return entries;
  }

  it('shows a user who was never credited a zero balance without creating an account', async () => {
    await t.anonymous().get('/cloud-billing/me/account').expect(401);
    const { body } = await t.as('newcomer').get('/me/account').expect(200);
    expect(body).toEqual({
      balance: { credits: '0', amount: '0.00', currency: 'USD', formatted: '$0.00' },
      status: 'no_credit', // not "negative": a balance of 0 with the default negative threshold of 0 is no debt
      currency: 'USD',
      credit: {
        paid: { credits: '0', amount: '0.00', currency: 'USD', formatted: '$0.00' },
        promotional: { credits: '0', amount: '0.00', currency: 'USD', formatted: '$0.00' },
        nextExpiry: null,
      },
    });
    expect((await t.as('newcomer').get('/me/ledger').expect(200)).body).toEqual({ entries: [], nextBefore: null });
    const { body: accounts } = await t.as('admin').get('/admin/accounts').expect(200);
    expect(accounts.map((a: { userId: string }) => a.userId)).not.toContain('newcomer');
  });

  it('keeps the balance equal to the sum of the ledger after a mix of operations', async () => {
    await credit('alice', { amount: '100', reference: 'a-1' });
    await credit('alice', { kind: 'adjustment', amount: '-30.000001', reference: 'a-2', note: 'correction' });
    await credit('alice', { kind: 'refund', amount: '0.5', reference: 'a-3' });
    await t.as('admin').post('/admin/accounts/alice/credits', { amount: '100', reference: 'a-1' }).expect(200);
    await credit('alice', { kind: 'adjustment', amount: '-80', reference: 'a-4', note: 'chargeback' });
    await credit('alice', { amount: '12.25', reference: 'a-5' });

    const entries = await wholeLedger('alice', 2);
    expect(entries.map((e) => e.reference)).toEqual(['a-5', 'a-4', 'a-3', 'a-2', 'a-1']);
    const sum = entries.reduce((total, e) => total + parseCredits(e.amount.credits), 0);
    const { body: account } = await t.as('alice').get('/me/account').expect(200);
    expect(parseCredits(account.balance.credits)).toBe(sum);
    expect(account.balance.credits).toBe('2.749999');
    // Oldest to newest, each entry's balance-after is the previous one plus its amount.
    let running = 0;
    for (const entry of [...entries].reverse()) {
      running += parseCredits(entry.amount.credits);
      expect(parseCredits(entry.balanceAfter.credits)).toBe(running);
    }
  });

  it('pages the ledger newest first by id, with nextBefore null at the end', async () => {
    for (let i = 1; i <= 5; i++) await credit('paula', { amount: i, reference: `p-${i}` });
    const first = (await t.as('paula').get('/me/ledger?limit=2').expect(200)).body;
    expect(first.entries.map((e: EntryBody) => e.reference)).toEqual(['p-5', 'p-4']);
    expect(first.nextBefore).toBe(first.entries[1].id);
    const second = (await t.as('paula').get(`/me/ledger?limit=2&before=${first.nextBefore}`).expect(200)).body;
    expect(second.entries.map((e: EntryBody) => e.reference)).toEqual(['p-3', 'p-2']);
    const last = (await t.as('paula').get(`/me/ledger?limit=2&before=${second.nextBefore}`).expect(200)).body;
    expect(last.entries.map((e: EntryBody) => e.reference)).toEqual(['p-1']);
    expect(last.nextBefore).toBeNull();
    // An exact fit still ends with null, not with an empty page to fetch.
    const exact = (await t.as('paula').get('/me/ledger?limit=5').expect(200)).body;
    expect(exact.entries).toHaveLength(5);
    expect(exact.nextBefore).toBeNull();
    expect((await t.as('paula').get('/me/ledger').expect(200)).body.entries).toHaveLength(5);
  });

  it('never shows a user another user’s entries, whatever `before` they pass', async () => {
    await credit('mallory', { amount: 1, reference: 'm-1' });
    const aliceIds = (await wholeLedger('alice', 200)).map((e) => e.id);
    expect(aliceIds.length).toBeGreaterThan(0);
    // Ids above and below alice's entries: only mallory's own come back.
    const { body } = await t.as('mallory').get('/me/ledger?before=999999999').expect(200);
    expect(body.entries.map((e: EntryBody) => e.reference)).toEqual(['m-1']);
    expect(body.entries.some((e: EntryBody) => aliceIds.includes(e.id))).toBe(false);
    const below = await t
      .as('mallory')
      .get(`/me/ledger?before=${Math.max(...aliceIds)}`)
      .expect(200);
    expect(below.body).toEqual({ entries: [], nextBefore: null });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['before=-3', 'before'],
    ['before=x', 'before'],
    ['before=', 'before'],
    ['userId=alice', 'userId'],
  ])('refuses /me/ledger?%s with a 400 naming %s', async (query, field) => {
    const { body } = await t.as('mallory').get(`/me/ledger?${query}`).expect(400);
    expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('reports each account’s status from the thresholds and filters by it', async () => {
    // Low at 10 credits, negative at 0 (the defaults), suspension below -5.
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-5' }).expect(200);
    await credit('olivia', { amount: '10.000001', reference: 'o-1' });
    await credit('lena', { amount: '10', reference: 'l-1' });
    await credit('nick', { amount: '5', reference: 'n-1' });
    await credit('nick', { kind: 'adjustment', amount: '-8', reference: 'n-2', note: 'unpaid invoice' });
    // The threshold engine suspends sam: his balance falls below the suspension threshold of -5.
    await credit('sam', { kind: 'adjustment', amount: '-6', reference: 's-1', note: 'chargeback' });

    expect((await t.as('olivia').get('/me/account').expect(200)).body.status).toBe('ok');
    expect((await t.as('lena').get('/me/account').expect(200)).body.status).toBe('low');
    expect((await t.as('nick').get('/me/account').expect(200)).body).toMatchObject({
      status: 'negative',
      balance: { credits: '-3', formatted: '-$0.03' },
    });
    expect((await t.as('sam').get('/me/account').expect(200)).body.status).toBe('suspended');

    const { body: all } = await t.as('admin').get('/admin/accounts').expect(200);
    const byUser = Object.fromEntries(all.map((a: { userId: string; status: string }) => [a.userId, a.status]));
    expect(byUser).toMatchObject({ olivia: 'ok', lena: 'low', nick: 'negative', sam: 'suspended' });
    expect(all.find((a: { userId: string }) => a.userId === 'nick')).toEqual({
      userId: 'nick',
      credits: '-3',
      balance: { credits: '-3', amount: '-0.03', currency: 'USD', formatted: '-$0.03' },
      status: 'negative',
    });

    for (const status of ['ok', 'low', 'negative', 'suspended']) {
      const { body } = await t.as('admin').get(`/admin/accounts?status=${status}`).expect(200);
      const expected = all
        .filter((a: { status: string }) => a.status === status)
        .map((a: { userId: string }) => a.userId);
      expect(body.map((a: { userId: string }) => a.userId)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('follows changed thresholds without touching the accounts', async () => {
    await t.as('admin').patch('/admin/settings', { lowBalanceThreshold: '1' }).expect(200);
    expect((await t.as('lena').get('/me/account').expect(200)).body.status).toBe('ok');
    const { body } = await t.as('admin').get('/admin/accounts?status=low').expect(200);
    expect(body.map((a: { userId: string }) => a.userId)).not.toContain('lena');
    await t.as('admin').patch('/admin/settings', { lowBalanceThreshold: '10' }).expect(200);
  });

  it('refuses an unknown status with a 400 naming status', async () => {
    const { body } = await t.as('admin').get('/admin/accounts?status=broke').expect(400);
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'status', rule: 'isIn' }));
  });
});
