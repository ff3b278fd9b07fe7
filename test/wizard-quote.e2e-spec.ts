import { topUp } from './support/billing-fixtures';
import { addHypervisor, createInstance, createLocation, createOfferedPlan } from './support/placement-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// The test clock starts at 2026-03-10T12:00:00Z.
describe('the wizard cost preview', () => {
  let t: TestApp;
  let north: number;
  let south: number;
  let planId: number;
  beforeEach(async () => {
    t = await startTestApp();
    await addHypervisor(t, 'hv-n', 2);
    await addHypervisor(t, 'hv-s', 2);
    north = await createLocation(t, 'North', ['hv-n']);
    south = await createLocation(t, 'South', ['hv-s']);
    planId = await createOfferedPlan(t, 'Capped', [north], { hourlyPrice: '0.5', monthlyPrice: '100' });
  });
  afterEach(() => t.close());

  const quote = (body: object, user = 'alice') => t.as(user).post('/me/quote', body);
  const allowed = async (body: object, user = 'alice') => (await quote(body, user).expect(200)).body;

  it('shows hourly, daily and monthly costs with the cap, and the balance after the first hour', async () => {
    await topUp(t, 'alice', '10', 'pay-1').expect(201);
    expect(await allowed({ planId, locationId: north })).toEqual({
      planId,
      locationId: north,
      // A price per hour shows the decimals it needs; the totals below keep the currency's two.
      hourly: { credits: '0.5', amount: '0.005', currency: 'USD', formatted: '$0.005' },
      daily: { credits: '12', amount: '0.12', currency: 'USD', formatted: '$0.12' },
      // 730 hours at 0.5 would be 365: the cap holds it at 100.
      monthly: { credits: '100', amount: '1.00', currency: 'USD', formatted: '$1.00' },
      monthlyCap: { credits: '100', amount: '1.00', currency: 'USD', formatted: '$1.00' },
      balance: { credits: '10', amount: '0.10', currency: 'USD', formatted: '$0.10' },
      balanceAfterFirstHour: { credits: '9.5', amount: '0.10', currency: 'USD', formatted: '$0.10' },
      // An hour of the plan: the user has nothing else running.
      creditNeeded: { credits: '0.5', amount: '0.01', currency: 'USD', formatted: '$0.01' },
      creditShortfall: null,
      canCreate: true,
      reason: null,
      reasonCode: null,
      // A plan without resource rules or counters (test/wizard-metered.e2e-spec.ts has them).
      rules: [],
      counters: [],
    });
  });

  it('speaks the user’s currency', async () => {
    await t
      .as('admin')
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '2', prefix: '', suffix: ' €' })
      .expect(201);
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const body = await allowed({ planId, locationId: north });
    expect(body.hourly).toEqual({ credits: '0.5', amount: '1.00', currency: 'EUR', formatted: '1.00 €' });
    expect(body.monthlyCap.formatted).toBe('200.00 €');
    expect(body.balanceAfterFirstHour.formatted).toBe('-1.00 €');
  });

  it('has no cap for an hourly-only plan, and charges a monthly-only plan’s month up front', async () => {
    const hourly = await createOfferedPlan(t, 'Hourly', [north], { hourlyPrice: '2' });
    expect(await allowed({ planId: hourly, locationId: north })).toMatchObject({
      monthly: { credits: '1460' },
      monthlyCap: null,
      balanceAfterFirstHour: { credits: '-2' },
    });
    const monthly = await createOfferedPlan(t, 'Monthly', [north], { hourlyPrice: null, monthlyPrice: '31' });
    // 21.5 of March's 31 days are left at 12:00 on the 10th.
    expect(await allowed({ planId: monthly, locationId: north })).toMatchObject({
      monthly: { credits: '31' },
      monthlyCap: null,
      balanceAfterFirstHour: { credits: '-21.5' },
    });
  });

  it('quotes 1.5 credits an hour at $0.01 a credit as $0.015 an hour, and the day to the cent', async () => {
    const plan = await createOfferedPlan(t, 'Small', [north], { hourlyPrice: '1.5' });
    expect(await allowed({ planId: plan, locationId: north })).toMatchObject({
      hourly: { credits: '1.5', amount: '0.015', formatted: '$0.015' },
      daily: { credits: '36', amount: '0.36', formatted: '$0.36' },
    });
  });

  describe('says why a user may not create', () => {
    const refusal = async (body: object) => {
      const { canCreate, reason, reasonCode } = await allowed(body);
      return { canCreate, reason, reasonCode };
    };

    it('when the balance is negative and the admin does not allow it, and not once they do', async () => {
      // The rule before creationCreditHours, which 0 keeps (test/wizard-creation-credit.e2e-spec.ts tests hours).
      await t.as('admin').patch('/admin/settings', { creationCreditHours: 0 }).expect(200);
      await t
        .as('admin')
        .post('/admin/accounts/alice/credits', { amount: '-3', kind: 'adjustment', note: 'test', reference: 'adj-1' })
        .expect(201);
      expect(await refusal({ planId, locationId: north })).toEqual({
        canCreate: false,
        reason: 'your balance is negative (-$0.03); top up before creating an instance',
        reasonCode: 'negative-balance',
      });
      await createInstance(t, 'alice', planId, north).expect(402);
      await t.as('admin').patch('/admin/settings', { allowCreateOnNegativeBalance: true }).expect(200);
      expect(await refusal({ planId, locationId: north })).toMatchObject({ canCreate: true, reason: null });
      await createInstance(t, 'alice', planId, north).expect(201);
    });

    it('when no hypervisor has room', async () => {
      await topUp(t, 'bob', '10', 'pay-bob').expect(201);
      await createInstance(t, 'bob', planId, north).expect(201);
      await createInstance(t, 'bob', planId, north).expect(201);
      expect(await refusal({ planId, locationId: north })).toEqual({
        canCreate: false,
        reason: 'no capacity in North for Capped',
        reasonCode: 'no-capacity',
      });
    });

    it('when the plan is not offered in the location', async () => {
      expect(await refusal({ planId, locationId: south })).toEqual({
        canCreate: false,
        reason: 'Capped is not offered in South',
        reasonCode: 'not-offered',
      });
      expect((await createInstance(t, 'alice', planId, south).expect(409)).body.message).toBe(
        'Capped is not offered in South',
      );
    });

    it('when the plan, its group or the location is disabled', async () => {
      await t.as('admin').patch(`/admin/plans/${planId}`, { enabled: false }).expect(200);
      expect(await refusal({ planId, locationId: north })).toEqual({
        canCreate: false,
        reason: 'Capped is not available at the moment',
        reasonCode: 'plan-unavailable',
      });
      await createInstance(t, 'alice', planId, north).expect(409);
      const { body: plan } = await t.as('admin').patch(`/admin/plans/${planId}`, { enabled: true }).expect(200);
      await t.as('admin').patch(`/admin/plan-groups/${plan.groupId}`, { enabled: false }).expect(200);
      expect((await refusal({ planId, locationId: north })).reasonCode).toBe('plan-unavailable');
      await t.as('admin').patch(`/admin/plan-groups/${plan.groupId}`, { enabled: true }).expect(200);

      await t.as('admin').patch(`/admin/locations/${north}`, { enabled: false }).expect(200);
      expect(await refusal({ planId, locationId: north })).toEqual({
        canCreate: false,
        reason: 'North is not available at the moment',
        reasonCode: 'location-unavailable',
      });
      await createInstance(t, 'alice', planId, north).expect(409);
    });
  });

  it('answers 404 for a plan or location that does not exist', async () => {
    expect((await quote({ planId: 999, locationId: north }).expect(404)).body.message).toBe('plan 999 does not exist');
    expect((await quote({ planId, locationId: 999 }).expect(404)).body.message).toBe('location 999 does not exist');
    await createInstance(t, 'alice', 999, north).expect(404);
  });

  it.each([
    [{ locationId: 1 }, 'planId'],
    [{ planId: 'abc', locationId: 1 }, 'planId'],
    [{ planId: 1, locationId: 1.5 }, 'locationId'],
    [{ planId: 1, locationId: -1 }, 'locationId'],
    [{ planId: 1, locationId: 1, name: 'x' }, 'name'],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const { body: error } = await quote(body).expect(400);
    expect(error.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('is for signed-in users', async () => {
    await t.anonymous().post('/cloud-billing/me/quote').send({ planId, locationId: north }).expect(401);
  });
});
