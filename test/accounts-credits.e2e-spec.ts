import { startTestApp, TestApp } from './support/test-app';

describe('admin credits (top-ups, adjustments, refunds)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.0092', suffix: ' €' })
      .expect(201);
  });
  afterAll(() => t.close());

  const credit = (userId: string, body: object) => t.as('admin').post(`/admin/accounts/${userId}/credits`, body);
  const balanceOf = async (userId: string): Promise<string> =>
    (await t.as(userId).get('/me/account').expect(200)).body.balance.credits;
  const entriesOf = async (userId: string) => (await t.as(userId).get('/me/ledger').expect(200)).body.entries;

  it('answers 401 without a user and 403 for a non-admin, and writes nothing', async () => {
    await t
      .anonymous()
      .post('/cloud-billing/admin/accounts/alice/credits')
      .send({ amount: 5, reference: 'x' })
      .expect(401);
    await t.as('alice').post('/admin/accounts/alice/credits', { amount: 5, reference: 'x' }).expect(403);
    await t.as('alice').get('/admin/accounts').expect(403);
    expect(await balanceOf('alice')).toBe('0');
  });

  it('tops up in credits: 201 with the entry and the new balance in the owner’s currency', async () => {
    const { body } = await credit('alice', { amount: '25.5', reference: 'pay-1001', note: 'card payment' }).expect(201);
    expect(body.created).toBe(true);
    expect(body.balance).toEqual({ credits: '25.5', amount: '0.26', currency: 'USD', formatted: '$0.26' });
    expect(body.entry).toMatchObject({
      userId: 'alice',
      kind: 'topup',
      amount: { credits: '25.5' },
      balanceAfter: { credits: '25.5' },
      reference: 'pay-1001',
      note: 'card payment',
      currencyAmount: null,
      currency: null,
      valuePerCredit: null,
      createdBy: 'admin',
      createdAt: '2026-03-10T12:00:00.000Z',
    });
    expect(await balanceOf('alice')).toBe('25.5');
  });

  it('tops up in a currency at its value per credit and records the rate used', async () => {
    const { body } = await credit('bob', { currencyAmount: '10.00', currency: 'eur', reference: 'sepa-77' }).expect(
      201,
    );
    // 10 EUR / 0.0092 EUR per credit = 1086.956522 credits, rounded once at the micro-credit.
    expect(body.entry).toMatchObject({
      amount: { credits: '1086.956522' },
      currency: 'EUR',
      currencyAmount: '10',
      valuePerCredit: '0.0092',
    });
    // Changing the rate later does not rewrite the record.
    await t.as('admin').patch('/admin/currencies/EUR', { valuePerCredit: '0.01' }).expect(200);
    const [entry] = await entriesOf('bob');
    expect(entry).toMatchObject({ valuePerCredit: '0.0092', currencyAmount: '10', amount: { credits: '1086.956522' } });
    // Amounts are shown in the owner's preferred currency.
    await t.as('bob').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const { body: again } = await credit('bob', { amount: 100, reference: 'pay-bob-2' }).expect(201);
    expect(again.balance).toMatchObject({ credits: '1186.956522', currency: 'EUR', formatted: '11.87 €' });
  });

  it('shows the largest balance an account may hold to the last digit in a currency with 8 decimals', async () => {
    await t
      .as('admin')
      .post('/admin/currencies', {
        code: 'KWD',
        name: 'Dinar',
        valuePerCredit: '0.987654321',
        prefix: 'KD ',
        decimals: 8,
      })
      .expect(201);
    await t.as('whale').patch('/me/preferences', { currency: 'KWD' }).expect(200);
    await credit('whale', { amount: '999999999.999999', reference: 'whale-1' }).expect(201);
    const { body } = await t.as('whale').get('/me/account').expect(200);
    // 999999999.999999 × 0.987654321 = 987654320.999999012…; a float would show …99999905.
    expect(body.balance).toEqual({
      credits: '999999999.999999',
      amount: '987654320.99999901',
      currency: 'KWD',
      formatted: 'KD 987,654,320.99999901',
    });
  });

  it('credits a reference once: a repeat answers 200 with the first entry, even with another amount', async () => {
    const first = await credit('carol', { amount: 40, reference: 'stripe:pi_3Mtw' }).expect(201);
    const repeat = await credit('carol', { amount: 40, reference: 'stripe:pi_3Mtw' }).expect(200);
    const changed = await credit('carol', { amount: 999, reference: 'stripe:pi_3Mtw', note: 'retry' }).expect(200);
    for (const { body } of [repeat, changed]) {
      expect(body.created).toBe(false);
      expect(body.entry).toEqual(first.body.entry);
      expect(body.balance.credits).toBe('40');
    }
    expect(await entriesOf('carol')).toHaveLength(1);
    // References are case-sensitive, as payment ids are.
    await credit('carol', { amount: 1, reference: 'STRIPE:PI_3MTW' }).expect(201);
    expect(await balanceOf('carol')).toBe('41');
  });

  it('refuses a reference already used for another account with a 409, and writes nothing', async () => {
    await credit('dave', { amount: 10, reference: 'pay-1001' }).expect(409);
    expect(await balanceOf('dave')).toBe('0');
    expect(await balanceOf('alice')).toBe('25.5');
  });

  it('credits once when 20 requests with one reference arrive at the same time', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => credit('erin', { amount: '7.25', reference: 'race-1' })),
    );
    const statuses = responses.map((r) => r.status).sort((a, b) => b - a);
    expect(statuses).toEqual([201, ...Array<number>(19).fill(200)]);
    const ids = new Set(responses.map((r) => r.body.entry.id));
    expect(ids.size).toBe(1);
    expect(await entriesOf('erin')).toHaveLength(1);
    expect(await balanceOf('erin')).toBe('7.25');
  });

  it('loses no update when 20 different top-ups for one account arrive at the same time', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => credit('frank', { amount: i + 1, reference: `burst-${i}` })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array<number>(20).fill(201));
    // 1 + 2 + … + 20 = 210; each entry saw the balance the previous one left.
    expect(await balanceOf('frank')).toBe('210');
    const afters = (await entriesOf('frank')).map((e: { balanceAfter: { credits: string } }) => e.balanceAfter.credits);
    expect(new Set(afters).size).toBe(20);
    expect(afters[0]).toBe('210');
  });

  it('posts an adjustment (which may debit) only with a note, and refunds above zero', async () => {
    await credit('gina', { amount: 30, reference: 'g-1' }).expect(201);
    const { body } = await credit('gina', {
      kind: 'adjustment',
      amount: '-12.5',
      reference: 'g-1',
      note: 'double credit of invoice 88',
    }).expect(201);
    expect(body.entry).toMatchObject({ kind: 'adjustment', reference: 'g-1', amount: { credits: '-12.5' } });
    expect(body.balance.credits).toBe('17.5');
    await credit('gina', { kind: 'refund', amount: 2, reference: 'outage-5', note: 'outage' }).expect(201);
    expect(await balanceOf('gina')).toBe('19.5');
  });

  it.each([
    [{ amount: '-5', reference: 'bad-1' }, 'amount', 'isPositive'],
    [{ amount: 0, reference: 'bad-2' }, 'amount', 'isPositive'],
    [{ amount: 'ten', reference: 'bad-3' }, 'amount', 'isSignedCreditAmount'],
    [{ amount: '1.0000001', reference: 'bad-4' }, 'amount', 'isSignedCreditAmount'],
    [{ amount: true, reference: 'bad-5' }, 'amount', 'isSignedCreditAmount'],
    [{ amount: 5 }, 'reference', 'matches'],
    [{ amount: 5, reference: '' }, 'reference', 'matches'],
    [{ amount: 5, reference: 'has space' }, 'reference', 'matches'],
    [{ amount: 5, reference: 'x'.repeat(129) }, 'reference', 'matches'],
    [{ currencyAmount: '10', currency: 'GBP', reference: 'bad-6' }, 'currency', 'isKnownCurrency'],
    [{ currencyAmount: '10', reference: 'bad-7' }, 'currency', 'isDefined'],
    [{ currencyAmount: '10.1234567891', currency: 'EUR', reference: 'bad-8' }, 'currencyAmount', 'isCurrencyAmount'],
    [{ currencyAmount: '-10', currency: 'EUR', reference: 'bad-9' }, 'currencyAmount', 'isPositive'],
    [{ amount: 5, currency: 'EUR', reference: 'bad-10' }, 'currency', 'onlyWithCurrencyAmount'],
    [{ amount: 5, currencyAmount: '5', currency: 'EUR', reference: 'bad-11' }, 'currencyAmount', 'exactlyOneAmount'],
    [{ amount: 5, currencyAmount: '5', currency: 'EUR', reference: 'bad-12' }, 'amount', 'exactlyOneAmount'],
    [{ reference: 'bad-13' }, 'amount', 'exactlyOneAmount'],
    [{ kind: 'adjustment', amount: -5, reference: 'bad-14' }, 'note', 'requiredForAdjustment'],
    [{ kind: 'adjustment', amount: 5, reference: 'bad-15', note: '   ' }, 'note', 'requiredForAdjustment'],
    [{ kind: 'adjustment', amount: 0, reference: 'bad-16', note: 'zero' }, 'amount', 'nonZero'],
    [{ kind: 'refund', amount: -1, reference: 'bad-17' }, 'amount', 'isPositive'],
    [{ kind: 'charge', amount: 1, reference: 'bad-18' }, 'kind', 'isIn'],
    [{ amount: 1, reference: 'bad-19', note: 'n'.repeat(501) }, 'note', 'maxLength'],
    [{ amount: 1, reference: 'bad-20', balance: 9 }, 'balance', 'whitelistValidation'],
    [{ amount: '1000000000.000001', reference: 'bad-21' }, 'amount', 'maxCredits'],
    [{ kind: 'adjustment', amount: -1_000_000_001, reference: 'bad-22', note: 'x' }, 'amount', 'maxCredits'],
    [{ amount: '9007199255', reference: 'bad-23' }, 'amount', 'maxCredits'],
    [{ currencyAmount: '20000000', currency: 'EUR', reference: 'bad-24' }, 'currencyAmount', 'maxCredits'],
    [{ currencyAmount: '99999999999999', currency: 'EUR', reference: 'bad-25' }, 'currencyAmount', 'maxCredits'],
  ])('refuses %j with a 400 naming %s, and writes nothing', async (body, field, rule) => {
    const { body: error } = await credit('henry', body).expect(400);
    expect(error.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(error.message).toContain(field);
    expect(await balanceOf('henry')).toBe('0');
    expect(await entriesOf('henry')).toEqual([]);
  });

  it('credits up to the balance bound and refuses what would go beyond it, either way', async () => {
    await credit('ivan', { amount: '1000000000', reference: 'big-1' }).expect(201);
    const { body } = await credit('ivan', { amount: '0.000001', reference: 'big-2' }).expect(400);
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'amount', rule: 'balanceRange' }));
    expect(body.message).toContain('1000000000');
    expect(await balanceOf('ivan')).toBe('1000000000');

    const debit = (amount: string, reference: string) =>
      credit('ivan', { kind: 'adjustment', amount, reference, note: 'test' });
    await debit('-1000000000', 'big-3').expect(201);
    await debit('-1000000000', 'big-4').expect(201);
    const { body: below } = await debit('-0.000001', 'big-5').expect(400);
    expect(below.errors).toContainEqual(expect.objectContaining({ field: 'amount', rule: 'balanceRange' }));
    expect(await balanceOf('ivan')).toBe('-1000000000');
    expect(await entriesOf('ivan')).toHaveLength(3);
  });

  it('refuses a currency top-up that converts to more than the bound', async () => {
    // At the rate the test above left EUR at (0.01 EUR per credit), 10,000,000 EUR is exactly the bound.
    await credit('jane', { currencyAmount: '10000000', currency: 'EUR', reference: 'eur-max' }).expect(201);
    const { body } = await credit('kate', { currencyAmount: '10000000.01', currency: 'EUR', reference: 'eur-over' });
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'currencyAmount', rule: 'maxCredits' }));
    expect(await balanceOf('kate')).toBe('0');
  });

  it('refuses a malformed user id in the path', async () => {
    const { body } = await credit('not a user!', { amount: 5, reference: 'u-1' }).expect(400);
    expect(body.errors).toContainEqual(expect.objectContaining({ field: 'userId', rule: 'isUserId' }));
    await credit('x'.repeat(65), { amount: 5, reference: 'u-2' }).expect(400);
  });
});
