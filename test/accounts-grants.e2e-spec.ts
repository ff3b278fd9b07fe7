import { balanceOf, createPlan, registerInstance, setClock, stopTheWorldAt, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
describe('credit grants: promotional before paid, expiry once, refunds and chargebacks', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
  });
  afterEach(() => t.close());

  const grant = (userId: string, body: object) => t.as('admin').post(`/admin/accounts/${userId}/grants`, body);
  const credit = async (userId: string) => (await t.as(userId).get('/me/account').expect(200)).body.credit;
  const run = async () => (await t.as('admin').post('/admin/billing/run').expect(200)).body;
  const entries = async (userId: string) => (await t.as(userId).get('/me/ledger').expect(200)).body.entries;

  it('spends promotional credit first and expires what is left exactly once, dated at its expiry', async () => {
    const planId = await createPlan(t, { hourlyPrice: '1' });
    await topUp(t, 'alice', '10', 'pay-1').expect(201);
    const { body: promo } = await grant('alice', {
      amount: '5',
      reference: 'welcome',
      expiresAt: '2026-03-10T15:30:00Z',
    }).expect(201);
    expect(promo).toMatchObject({ category: 'promotional', amount: { credits: '5' }, remaining: { credits: '5' } });
    expect(await credit('alice')).toMatchObject({
      paid: { credits: '10' },
      promotional: { credits: '5' },
      nextExpiry: { amount: { credits: '5' }, at: '2026-03-10T15:30:00.000Z' },
    });

    await registerInstance(t, 'vm-1', 'alice', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T14:00:00Z');
    // Two hours at 1 credit came out of the promotional grant, none out of paid credit.
    expect(await credit('alice')).toMatchObject({ paid: { credits: '10' }, promotional: { credits: '3' } });

    // The grant pays the 15:00 hour, which began before it expired at 15:30; at 16:00 the rest expires.
    await setClock(t, '2026-03-10T16:00:00Z');
    expect(await balanceOf(t, 'alice')).toBe('10');
    expect(await credit('alice')).toMatchObject({
      paid: { credits: '10' },
      promotional: { credits: '0' },
      nextExpiry: null,
    });
    const [expiry] = await entries('alice');
    expect(expiry).toMatchObject({ kind: 'expiry', amount: { credits: '-1' }, reference: expect.any(String) });

    // Another run, and a run at the same moment, expire nothing more.
    expect((await run()).grants).toEqual({ expired: 0, waiting: 0 });
    expect(await balanceOf(t, 'alice')).toBe('10');
    const { body: grants } = await t.as('admin').get('/admin/accounts/alice/grants').expect(200);
    expect(grants[0]).toMatchObject({ remaining: { credits: '0' }, closedAt: '2026-03-10T16:00:00.000Z' });
  });

  it('waits with an expiry until the hours before it are settled, so a catch-up still spends the grant', async () => {
    const planId = await createPlan(t, { hourlyPrice: '1' });
    await grant('bob', { amount: '3', reference: 'promo-bob', expiresAt: '2026-03-10T14:00:00Z' }).expect(201);
    await registerInstance(t, 'vm-2', 'bob', planId, '2026-03-10T12:00:00Z');
    // The scheduler was down past the expiry: the run settles 12:00–16:00 first, then expires the grant.
    stopTheWorldAt(t, '2026-03-10T16:00:00Z');
    const summary = await run();
    expect(summary.grants).toEqual({ expired: 1, waiting: 0 });
    // 12:00 and 13:00 were paid by the grant (2 of its 3), 14:00 and 15:00 by plain credit; 1 expired.
    expect(await balanceOf(t, 'bob')).toBe('-2');
    expect(
      (await entries('bob')).map((e: { kind: string; amount: { credits: string } }) => [e.kind, e.amount.credits]),
    ).toEqual(
      expect.arrayContaining([
        ['expiry', '-1'],
        ['grant', '3'],
      ]),
    );
  });

  it('uses a new grant to pay a debt first, so only the rest can expire', async () => {
    const planId = await createPlan(t, { hourlyPrice: '2' });
    await registerInstance(t, 'vm-3', 'carol', planId, '2026-03-10T12:00:00Z');
    await setClock(t, '2026-03-10T14:00:00Z');
    expect(await balanceOf(t, 'carol')).toBe('-4');
    await t
      .as('admin')
      .post('/host/instances/vm-3/events', { type: 'terminated', at: '2026-03-10T14:00:00Z' })
      .expect(200);
    const { body } = await grant('carol', { amount: '10', reference: 'sorry', expiresAt: '2026-03-11T00:00:00Z' });
    expect(body.remaining).toEqual(expect.objectContaining({ credits: '6' }));
    await setClock(t, '2026-03-11T01:00:00Z');
    expect(await balanceOf(t, 'carol')).toBe('0');
  });

  it('refuses bad grants with the field and rule, and writes nothing', async () => {
    const bad = async (body: object, field: string, rule: string) => {
      const { body: answer } = await grant('dave', { amount: '5', reference: `r-${field}-${rule}`, ...body }).expect(
        400,
      );
      expect(answer.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    };
    await bad({ expiresAt: '2026-03-10T11:59:59Z' }, 'expiresAt', 'inFuture');
    await bad({ category: 'gift' }, 'category', 'isIn');
    await bad({ priority: 101 }, 'priority', 'max');
    await bad({ amount: '0' }, 'amount', 'isPositive');
    expect(await balanceOf(t, 'dave')).toBe('0');
    expect((await t.as('admin').get('/admin/accounts/dave/grants').expect(200)).body).toEqual([]);
    await t.as('dave').post('/admin/accounts/dave/grants', { amount: '5', reference: 'x' }).expect(403);
  });

  it('grants once per reference', async () => {
    await grant('erin', { amount: '5', reference: 'once' }).expect(201);
    const { body } = await grant('erin', { amount: '7', reference: 'once' }).expect(200);
    expect(body).toMatchObject({ created: false, amount: { credits: '5' } });
    expect(await balanceOf(t, 'erin')).toBe('5');
  });

  describe('refunds and chargebacks', () => {
    const refund = (userId: string, entryId: number, body: object) =>
      t.as('admin').post(`/admin/accounts/${userId}/ledger/${entryId}/refunds`, body);
    const chargeback = (userId: string, entryId: number) =>
      t.as('admin').post(`/admin/accounts/${userId}/ledger/${entryId}/chargeback`, { note: 'dispute lost' });

    it('refunds part of a top-up, never more than is left, once per reference', async () => {
      const { body: top } = await topUp(t, 'frank', '20', 'pay-f').expect(201);
      const id = top.entry.id;
      const { body: first } = await refund('frank', id, { amount: '8', reference: 'rf-1' }).expect(201);
      expect(first.entry).toMatchObject({ kind: 'topup-refund', amount: { credits: '-8' }, reversesEntryId: id });
      await refund('frank', id, { amount: '8', reference: 'rf-1' }).expect(200);
      const { body: tooMuch } = await refund('frank', id, { amount: '12.000001', reference: 'rf-2' }).expect(409);
      expect(tooMuch.errors).toEqual([expect.objectContaining({ field: 'amount', rule: 'refundable' })]);
      expect(await balanceOf(t, 'frank')).toBe('12');
      // The rest, without an amount.
      await refund('frank', id, { reference: 'rf-3' }).expect(201);
      expect(await balanceOf(t, 'frank')).toBe('0');
      await chargeback('frank', id).expect(409);
    });

    it('refuses to refund promotional credit, or another user’s top-up, or something that is no top-up', async () => {
      const { body: top } = await topUp(t, 'gina', '10', 'pay-g').expect(201);
      await grant('gina', { amount: '5', reference: 'promo-g' }).expect(201);
      const planId = await createPlan(t, { hourlyPrice: '1' });
      await registerInstance(t, 'vm-g', 'gina', planId, '2026-03-10T12:00:00Z');
      // 7 hours: 5 from the promotional grant, 2 from paid credit, which leaves 8 paid.
      await setClock(t, '2026-03-10T19:00:00Z');
      const { body } = await refund('gina', top.entry.id, { amount: '9', reference: 'rf-g' }).expect(409);
      expect(body.errors).toEqual([expect.objectContaining({ field: 'amount', rule: 'paidCredit' })]);
      await refund('gina', top.entry.id, { amount: '8', reference: 'rf-g2' }).expect(201);
      await refund('someone-else', top.entry.id, { reference: 'rf-x' }).expect(404);
      const [charge] = (await entries('gina')).filter((e: { kind: string }) => e.kind === 'charge');
      const { body: notTopUp } = await refund('gina', charge.id, { reference: 'rf-y' }).expect(409);
      expect(notTopUp.errors).toEqual([expect.objectContaining({ field: 'entryId', rule: 'isTopUp' })]);
      expect(await balanceOf(t, 'gina')).toBe('0');
    });

    it('charges back what is left of a top-up even into a negative balance, once', async () => {
      const { body: top } = await topUp(t, 'hank', '10', 'pay-h').expect(201);
      await refund('hank', top.entry.id, { amount: '3', reference: 'rf-h' }).expect(201);
      const planId = await createPlan(t, { hourlyPrice: '1' });
      await registerInstance(t, 'vm-h', 'hank', planId, '2026-03-10T12:00:00Z');
      await setClock(t, '2026-03-10T17:00:00Z');
      expect(await balanceOf(t, 'hank')).toBe('2');
      const { body } = await chargeback('hank', top.entry.id).expect(201);
      expect(body.entry).toMatchObject({
        kind: 'chargeback',
        amount: { credits: '-7' },
        reversesEntryId: top.entry.id,
      });
      await chargeback('hank', top.entry.id).expect(200);
      expect(await balanceOf(t, 'hank')).toBe('-5');
      const { body: account } = await t.as('hank').get('/me/account').expect(200);
      expect(account.status).toBe('negative');
    });

    it('refunds a currency top-up at the rate it was credited at', async () => {
      await t.as('admin').post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.01' }).expect(201);
      const { body: top } = await t
        .as('admin')
        .post('/admin/accounts/ines/credits', { currencyAmount: '10', currency: 'EUR', reference: 'sepa-1' })
        .expect(201);
      await t.as('admin').patch('/admin/currencies/EUR', { valuePerCredit: '0.02' }).expect(200);
      const { body } = await refund('ines', top.entry.id, { currencyAmount: '4', reference: 'rf-i' }).expect(201);
      expect(body.entry).toMatchObject({ amount: { credits: '-400' }, currency: 'EUR', currencyAmount: '4' });
      const { body: inCredits } = await refund('ines', top.entry.id, { amount: '100', reference: 'rf-i2' }).expect(201);
      expect(inCredits.entry).toMatchObject({ currency: 'EUR', currencyAmount: '1.00', valuePerCredit: '0.01' });
    });
  });
});
