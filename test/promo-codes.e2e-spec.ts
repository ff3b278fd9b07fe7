import { BillingRunService } from '../src/billing/run/billing-run.service';
import { balanceOf, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { describeReplicas } from './support/replicas';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
describe('promo codes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const create = (body: object) => t.as('admin').post('/admin/promo-codes', body);
  const redeem = (userId: string, body: object) => t.as(userId).post('/me/promo-codes/redeem', body);
  const errorsOf = (body: { errors?: unknown }) => body.errors;

  it('grants promotional credit that expires with the code’s terms, once per user', async () => {
    await create({ code: 'welcome10', amount: '10', creditValidDays: 30 }).expect(201);
    const { body } = await redeem('alice', { code: 'Welcome10', reference: 'r-1' }).expect(201);
    expect(body).toMatchObject({
      code: 'WELCOME10',
      amount: { credits: '10' },
      creditExpiresAt: '2026-04-09T12:00:00.000Z',
      created: true,
      balance: { credits: '10' },
    });
    // The same request again answers the first redemption; another one is refused.
    await redeem('alice', { code: 'WELCOME10', reference: 'r-1' }).expect(200);
    const { body: again } = await redeem('alice', { code: 'WELCOME10' }).expect(409);
    expect(errorsOf(again)).toEqual([expect.objectContaining({ field: 'code', rule: 'perUser' })]);
    expect(await balanceOf(t, 'alice')).toBe('10');
    const { body: account } = await t.as('alice').get('/me/account').expect(200);
    expect(account.credit).toMatchObject({
      paid: { credits: '0' },
      promotional: { credits: '10' },
      nextExpiry: { at: '2026-04-09T12:00:00.000Z', amount: { credits: '10' } },
    });
    const [code] = (await t.as('admin').get('/admin/promo-codes').expect(200)).body;
    expect(code).toMatchObject({ code: 'WELCOME10', redemptions: 1 });
  });

  it('refuses an expired code, an exhausted one, and an old account for a new-accounts code, writing nothing', async () => {
    await create({ code: 'SHORT', amount: '5', codeExpiresAt: '2026-03-10T13:00:00Z' }).expect(201);
    await create({ code: 'TWO', amount: '1', maxRedemptions: 2 }).expect(201);
    await create({ code: 'NEWBIE', amount: '3', newAccountsOnly: true }).expect(201);
    await topUp(t, 'old', '1', 'pay-old').expect(201);

    const refused = async (userId: string, code: string, rule: string) => {
      const { body } = await redeem(userId, { code }).expect(409);
      expect(errorsOf(body)).toEqual([expect.objectContaining({ field: 'code', rule })]);
    };
    await refused('old', 'NEWBIE', 'newAccountsOnly');
    await redeem('fresh', { code: 'NEWBIE' }).expect(201);
    await redeem('u1', { code: 'TWO' }).expect(201);
    await redeem('u2', { code: 'TWO' }).expect(201);
    await refused('u3', 'TWO', 'redemptionsLeft');
    stopTheWorldAt(t, '2026-03-10T13:00:00Z');
    await refused('u4', 'SHORT', 'notExpired');
    await redeem('u4', { code: 'NOPE' }).expect(404);
    expect(await balanceOf(t, 'u3')).toBe('0');
    expect(await balanceOf(t, 'u4')).toBe('0');
    expect(await balanceOf(t, 'old')).toBe('1');
    // An ended code is refused from now on.
    await t.as('admin').delete('/admin/promo-codes/newbie').expect(200);
    await refused('fresh2', 'NEWBIE', 'notExpired');
  });

  it('validates a new code field by field', async () => {
    const bad = async (body: object, field: string, rule: string) => {
      const { body: answer } = await create({ code: 'GOOD', amount: '5', ...body }).expect(400);
      expect(errorsOf(answer)).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    };
    await bad({ code: 'a!' }, 'code', 'matches');
    await bad({ amount: '-1' }, 'amount', 'isCreditAmount');
    await bad({ amount: '0' }, 'amount', 'isPositive');
    await bad({ codeExpiresAt: '2026-03-10T11:00:00Z' }, 'codeExpiresAt', 'inFuture');
    await bad({ creditExpiresAt: '2026-03-01T00:00:00Z' }, 'creditExpiresAt', 'inFuture');
    await bad({ creditExpiresAt: '2026-05-01T00:00:00Z', creditValidDays: 3 }, 'creditValidDays', 'oneCreditExpiry');
    await bad({ maxPerUser: 0 }, 'maxPerUser', 'min');
    expect((await t.as('admin').get('/admin/promo-codes').expect(200)).body).toEqual([]);
    await t.as('alice').post('/admin/promo-codes', { code: 'MINE', amount: '100' }).expect(403);
    // The code is the key: the same terms again answer it, other terms are a conflict.
    await create({ code: 'SAME', amount: '5' }).expect(201);
    await create({ code: 'same', amount: '5' }).expect(200);
    await create({ code: 'SAME', amount: '6' }).expect(409);
  });
});

describeReplicas('promo codes redeemed concurrently on two replicas', (replicas) => {
  it('never grants more redemptions than the code allows, in all and per user', async () => {
    const { a, b } = replicas();
    await a.as('admin').post('/admin/promo-codes', { code: 'RUSH', amount: '2', maxRedemptions: 20 }).expect(201);
    await a.as('admin').post('/admin/promo-codes', { code: 'ONCE', amount: '1' }).expect(201);
    const users = Array.from({ length: 50 }, (_, i) => `rush-${i}`);
    const rush = await Promise.all(
      users.map((user, i) => (i % 2 ? a : b).as(user).post('/me/promo-codes/redeem', { code: 'RUSH' })),
    );
    expect(rush.filter((r) => r.status === 201)).toHaveLength(20);
    expect(rush.filter((r) => r.status === 409)).toHaveLength(30);
    // One user, 50 requests with different references: one grant.
    const once = await Promise.all(
      users.map((_, i) =>
        (i % 2 ? a : b).as('eager').post('/me/promo-codes/redeem', { code: 'ONCE', reference: `try-${i}` }),
      ),
    );
    expect(once.filter((r) => r.status === 201)).toHaveLength(1);
    expect(once.filter((r) => r.status === 409)).toHaveLength(49);

    const balances = await Promise.all(users.map((user) => balanceOf(a, user)));
    expect(balances.filter((balance) => balance === '2')).toHaveLength(20);
    expect(balances.filter((balance) => balance === '0')).toHaveLength(30);
    expect(await balanceOf(a, 'eager')).toBe('1');
    const [code] = (await a.as('admin').get('/admin/promo-codes').expect(200)).body.filter(
      (c: { code: string }) => c.code === 'RUSH',
    );
    expect(code.redemptions).toBe(20);
  });

  it('expires a grant once when both replicas run at the same moment', async () => {
    const { a, b } = replicas();
    const users = Array.from({ length: 30 }, (_, i) => `exp-${i}`);
    for (const user of users) {
      await a
        .as('admin')
        .post(`/admin/accounts/${user}/grants`, {
          amount: '4',
          reference: `g-${user}`,
          expiresAt: '2026-03-11T00:00:00Z',
        })
        .expect(201);
    }
    stopTheWorldAt(a, '2026-03-11T01:00:00Z');
    stopTheWorldAt(b, '2026-03-11T01:00:00Z');
    const now = new Date('2026-03-11T01:00:00Z');
    const [first, second] = await Promise.all([
      a.app.get(BillingRunService).run(now),
      b.app.get(BillingRunService).run(now),
    ]);
    expect(first.grants.expired + second.grants.expired).toBe(30);
    for (const user of users) expect(await balanceOf(a, user)).toBe('0');
  });
});
