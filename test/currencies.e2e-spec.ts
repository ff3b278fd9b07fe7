import { startTestApp, TestApp } from './support/test-app';

const eur = { code: 'EUR', name: 'Euro', valuePerCredit: '0.0092', suffix: ' EUR', decimals: 2 };

describe('admin currencies and the user preference', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const list = async () => (await t.as('admin').get('/admin/currencies').expect(200)).body;

  it('starts with USD as the one default and refuses non-admins', async () => {
    expect(await list()).toEqual([
      {
        code: 'USD',
        name: 'US Dollar',
        valuePerCredit: '0.01',
        prefix: '$',
        suffix: '',
        decimals: 2,
        enabled: true,
        isDefault: true,
      },
    ]);
    await t.as('alice').post('/admin/currencies', eur).expect(403);
    await t.anonymous().get('/cloud-billing/admin/currencies').expect(401);
  });

  it('creates a currency, keeps its value exactly, and refuses a duplicate', async () => {
    const { body } = await t
      .as('admin')
      .post('/admin/currencies', { ...eur, code: 'eur', valuePerCredit: '0.000000001' })
      .expect(201);
    expect(body).toMatchObject({ code: 'EUR', valuePerCredit: '0.000000001', isDefault: false, enabled: true });
    await t.as('admin').post('/admin/currencies', eur).expect(409);
  });

  it.each([
    [{ ...eur, code: 'EURO' }, 'code'],
    [{ ...eur, code: 'XYZ' }, 'code'],
    [{ ...eur, valuePerCredit: '0' }, 'valuePerCredit'],
    [{ ...eur, valuePerCredit: '-1' }, 'valuePerCredit'],
    [{ ...eur, valuePerCredit: 'abc' }, 'valuePerCredit'],
    [{ ...eur, decimals: 9 }, 'decimals'],
    [{ ...eur, name: '' }, 'name'],
    [{ ...eur, rate: 1 }, 'rate'],
    [{ code: 'EUR', valuePerCredit: '0.01' }, 'name'],
    [{ code: 'EUR', name: 'Euro' }, 'valuePerCredit'],
    [{ name: 'Euro', valuePerCredit: '0.01' }, 'code'],
  ])('refuses %j naming %s, writing nothing', async (body, field) => {
    const response = await t.as('admin').post('/admin/currencies', body).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await list()).map((c: { code: string }) => c.code)).toEqual(['USD']);
  });

  it('moves the default, never leaving zero or two defaults, and protects it', async () => {
    await t.as('admin').post('/admin/currencies', eur).expect(201);
    await t.as('admin').post('/admin/currencies/EUR/default').expect(200);
    const defaults = (await list()).filter((c: { isDefault: boolean }) => c.isDefault);
    expect(defaults.map((c: { code: string }) => c.code)).toEqual(['EUR']);
    await t.as('admin').delete('/admin/currencies/EUR').expect(409);
    await t.as('admin').patch('/admin/currencies/EUR', { enabled: false }).expect(409);
    await t.as('admin').delete('/admin/currencies/USD').expect(204);
    expect((await list()).map((c: { code: string }) => c.code)).toEqual(['EUR']);
  });

  it('refuses to make a disabled currency the default, and answers 404 / 400 for unknown / malformed codes', async () => {
    await t
      .as('admin')
      .post('/admin/currencies', { ...eur, enabled: false })
      .expect(201);
    await t.as('admin').post('/admin/currencies/EUR/default').expect(409);
    await t.as('admin').patch('/admin/currencies/GBP', { name: 'x' }).expect(404);
    const { body } = await t.as('admin').patch('/admin/currencies/US1', { name: 'x' }).expect(400);
    expect(body.errors[0].field).toBe('code');
  });

  it('lets a user pick an enabled currency and moves them back to the default when it is disabled or removed', async () => {
    await t.as('admin').post('/admin/currencies', eur).expect(201);
    expect((await t.as('alice').get('/me/preferences').expect(200)).body).toEqual({
      currency: 'USD',
      preferredCurrency: null,
    });
    expect((await t.as('alice').patch('/me/preferences', { currency: 'eur' }).expect(200)).body).toEqual({
      currency: 'EUR',
      preferredCurrency: 'EUR',
    });
    // bob keeps the default: one user's choice is theirs alone.
    expect((await t.as('bob').get('/me/preferences')).body.currency).toBe('USD');

    await t.as('admin').patch('/admin/currencies/EUR', { enabled: false }).expect(200);
    expect((await t.as('alice').get('/me/preferences')).body).toEqual({ currency: 'USD', preferredCurrency: null });
    // Re-enabling does not silently move her back: the preference was reset.
    await t.as('admin').patch('/admin/currencies/EUR', { enabled: true }).expect(200);
    expect((await t.as('alice').get('/me/preferences')).body.currency).toBe('USD');

    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    await t.as('admin').delete('/admin/currencies/EUR').expect(204);
    expect((await t.as('alice').get('/me/preferences')).body).toEqual({ currency: 'USD', preferredCurrency: null });
  });

  it('deletes a currency that ledger entries recorded: each entry keeps its own code, amount and rate', async () => {
    await t.as('admin').post('/admin/currencies', eur).expect(201);
    await t
      .as('admin')
      .post('/admin/accounts/alice/credits', { currencyAmount: '9.2', currency: 'EUR', reference: 'sepa-1' })
      .expect(201);
    await t.as('admin').delete('/admin/currencies/EUR').expect(204);
    const [entry] = (await t.as('alice').get('/me/ledger').expect(200)).body.entries;
    expect(entry).toMatchObject({
      currency: 'EUR',
      currencyAmount: '9.2',
      valuePerCredit: '0.0092',
      amount: { credits: '1000', currency: 'USD' },
    });
  });

  it('refuses a preference for a disabled, unknown or malformed currency', async () => {
    await t
      .as('admin')
      .post('/admin/currencies', { ...eur, enabled: false })
      .expect(201);
    for (const currency of ['EUR', 'GBP', 'EURO', 42]) {
      const { body } = await t.as('alice').patch('/me/preferences', { currency }).expect(400);
      expect(body.errors[0].field).toBe('currency');
    }
    await t.anonymous().patch('/cloud-billing/me/preferences').send({ currency: 'USD' }).expect(401);
    expect((await t.as('alice').get('/me/preferences')).body.currency).toBe('USD');
  });
});
