import { MeteringLookupService } from '../src/metering/metering-lookup.service';
import { pieceCharge, roundedCost } from '../src/metering/rating/cumulative-charge';
import { parseQuantity } from '../src/common/quantities';
import { createPlan, setClock } from './support/billing-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TEST_CLOCK_START, TestApp } from './support/test-app';

const DAY = 86_400;
/** NoCloud's example: 10 per IPv4 address every 30 days, in every state but terminated. */
const IPV4 = {
  key: 'ipv4',
  name: 'IPv4 address',
  unit: 'address',
  price: '10',
  periodSeconds: 30 * DAY,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['terminated'],
  except: true,
};
/** 0.01 an hour while suspended, for as many as the host reports. */
const SUSPENSION_FEE = {
  key: 'suspension-fee',
  name: 'Suspension fee',
  unit: 'instance',
  price: '0.01',
  periodSeconds: 3_600,
  kind: 'postpaid',
  quantitySource: 'reported',
  on: ['suspended'],
};

interface RuleView {
  id: number;
  key: string;
  [field: string]: unknown;
}

describe('admin: resource rules of a plan', () => {
  let t: TestApp;
  let planId: number;
  let otherPlanId: number;
  let keys = 0;
  const admin = () => t.as('admin');
  const path = (plan = planId) => `/admin/plans/${plan}/rules`;
  const list = async (plan = planId, query = ''): Promise<RuleView[]> =>
    (
      await admin()
        .get(`${path(plan)}${query}`)
        .expect(200)
    ).body;
  const everything = () => list(planId, '?includeRetired=true');
  const create = async (body: object, plan = planId): Promise<RuleView> =>
    (await admin().post(path(plan), body).expect(201)).body;
  const freshKey = () => `rule-${++keys}`;

  beforeAll(async () => {
    t = await startTestApp();
    planId = await createPlan(t, { hourlyPrice: '0.5' });
    otherPlanId = await createPlan(t, { hourlyPrice: '1' });
  });
  afterAll(() => t.close());

  it('creates rules, echoing every field exactly, and lists the plan’s rules by key', async () => {
    const ipv4 = await create(IPV4);
    expect(ipv4).toEqual({
      ...IPV4,
      id: expect.any(Number),
      planId,
      monthlyCap: null,
      createdAt: TEST_CLOCK_START.toISOString(),
      retiredAt: null,
    });
    const fee = await create({ ...SUSPENSION_FEE, on: ['suspended', 'running'] });
    // Defaults: no fixed quantity, not inverted; states come back in one order whatever order they were sent in.
    expect(fee).toMatchObject({ fixedQuantity: null, except: false, on: ['running', 'suspended'] });
    const setup = await create({
      key: 'setup',
      name: 'Setup fee',
      unit: 'fee',
      price: '0.000001',
      periodSeconds: 0,
      kind: 'prepaid',
      quantitySource: 'fixed',
      fixedQuantity: 2.5,
      on: ['running', 'stopped', 'suspended', 'terminated'],
    });
    expect(setup).toMatchObject({ price: '0.000001', periodSeconds: 0, fixedQuantity: '2.5' });
    expect(await list()).toEqual([ipv4, setup, fee]);
    expect(await list(otherPlanId)).toEqual([]);
  });

  it('takes prices and quantities up to their bounds, to the last decimal', async () => {
    const body = { ...IPV4, key: freshKey(), price: '100000000', fixedQuantity: '999999.999999' };
    expect(await create(body)).toMatchObject({ price: '100000000', fixedQuantity: '999999.999999' });
    // 1,000,000 credits an hour per unit, quoted per hour.
    const hourly = { ...IPV4, key: freshKey(), price: '1000000', periodSeconds: 3_600 };
    expect(await create(hourly)).toMatchObject({ price: '1000000' });
  });

  it('changes only what a PATCH sends, and checks the rule it leaves as a whole', async () => {
    const rule = await create({ ...IPV4, key: freshKey() });
    const renamed = (await admin().patch(`${path()}/${rule.id}`, { name: 'Extra IPv4', price: 12.5 }).expect(200)).body;
    expect(renamed).toEqual({ ...rule, name: 'Extra IPv4', price: '12.5' });

    // Reported by the host from now on: the fixed quantity goes with it.
    const reported = await admin().patch(`${path()}/${rule.id}`, { quantitySource: 'reported' }).expect(200);
    expect(reported.body).toMatchObject({ quantitySource: 'reported', fixedQuantity: null });
    // Back to fixed needs a quantity, in the same PATCH.
    const refused = await admin().patch(`${path()}/${rule.id}`, { quantitySource: 'fixed' }).expect(400);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'fixedQuantity', rule: 'requiredWhenFixed' }),
    ]);
    const fixed = await admin()
      .patch(`${path()}/${rule.id}`, { quantitySource: 'fixed', fixedQuantity: '3' })
      .expect(200);
    expect(fixed.body).toMatchObject({ quantitySource: 'fixed', fixedQuantity: '3' });
    // A one-off rule is prepaid: a PATCH that would make it postpaid is refused, naming kind.
    const oneOff = await admin().patch(`${path()}/${rule.id}`, { periodSeconds: 0 }).expect(400);
    expect(oneOff.body.errors).toEqual([expect.objectContaining({ field: 'kind', rule: 'oneOffIsPrepaid' })]);
    expect((await list()).find((r) => r.id === rule.id)).toEqual(fixed.body);
  });

  it('retires a deleted rule: it leaves the list, stays on record under its name, and frees its key', async () => {
    const key = freshKey();
    const rule = await create({ ...IPV4, key });
    await setClock(t, '2026-03-10T15:30:00Z');
    await admin().delete(`${path()}/${rule.id}`).expect(204);

    expect((await list()).map((r) => r.id)).not.toContain(rule.id);
    const onRecord = (await everything()).find((r) => r.id === rule.id);
    expect(onRecord).toEqual({ ...rule, retiredAt: '2026-03-10T15:30:00.000Z' });

    // History is read, not changed.
    const patch = await admin().patch(`${path()}/${rule.id}`, { price: '1' }).expect(404);
    expect(patch.body.message).toContain('was deleted at 2026-03-10T15:30:00.000Z');
    await admin().delete(`${path()}/${rule.id}`).expect(404);

    const successor = await create({ ...IPV4, key, price: '11' });
    expect(successor.id).not.toBe(rule.id);
    const withKey = (await everything()).filter((r) => r.key === key);
    expect(withKey.map((r) => [r.id, r.retiredAt])).toEqual([
      [rule.id, '2026-03-10T15:30:00.000Z'],
      [successor.id, null],
    ]);
  });

  it('gives the features above the plan’s rules with their pricing, retired ones included', async () => {
    const lookup = t.app.get(MeteringLookupService);
    const byPlan = await lookup.rulesOfPlans([planId, otherPlanId]);
    expect(byPlan.get(otherPlanId)).toEqual([]);
    const live = (await list()).map((rule) => rule.id);
    const all = (await everything()).map((rule) => rule.id);
    expect(all.length).toBeGreaterThan(live.length);
    expect(byPlan.get(planId)?.map((rule) => rule.id)).toEqual(all);

    const ipv4 = byPlan.get(planId)?.find((rule) => rule.key === 'ipv4');
    expect(ipv4).toMatchObject({ priceMicros: 10_000_000, fixedQuantity: 1_000_000n, retiredAt: null });
    expect(ipv4?.filter).toEqual({ on: ['terminated'], except: true });
    // One address for an hour: 10 / 720 credits, rounded.
    expect(pieceCharge(ipv4!.pricing, 0n, parseQuantity(1) * 3_600n)).toBe(13_889n);
    const setup = byPlan.get(planId)?.find((rule) => rule.key === 'setup');
    // A one-off prices the quantity itself: 2.5 × 0.000001 credits, rounded half away from zero.
    expect(roundedCost(setup!.pricing, setup!.fixedQuantity!)).toBe(3n);

    const retired = (await everything()).find((rule) => rule.retiredAt !== null) as RuleView;
    expect(await lookup.rule(retired.id)).toMatchObject({
      name: retired.name,
      retiredAt: new Date(retired.retiredAt as string),
    });
    expect(await lookup.rule(999_999)).toBeNull();
  });

  it('answers 404 for an unknown plan, an unknown rule and a rule of another plan', async () => {
    const rule = await create({ ...IPV4, key: freshKey() });
    await admin().get(path(999_999)).expect(404);
    await admin().post(path(999_999), IPV4).expect(404);
    await admin()
      .patch(`${path(999_999)}/${rule.id}`, { name: 'X' })
      .expect(404);
    await admin().patch(`${path()}/999999`, { name: 'X' }).expect(404);
    const foreign = await admin()
      .patch(`${path(otherPlanId)}/${rule.id}`, { name: 'X' })
      .expect(404);
    expect(foreign.body.message).toBe(`rule ${rule.id} does not exist on plan ${otherPlanId}`);
    await admin()
      .delete(`${path(otherPlanId)}/${rule.id}`)
      .expect(404);
    expect((await list()).find((r) => r.id === rule.id)).toEqual(rule);
    for (const id of ['abc', '1.5', '0']) {
      const { body } = await admin()
        .get(path(id as unknown as number))
        .expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field: 'planId' }));
      await admin().delete(`${path()}/${id}`).expect(400);
    }
  });

  it('is for admins only', async () => {
    await t.as('alice').get(path()).expect(403);
    await t
      .as('alice')
      .post(path(), { ...IPV4, key: freshKey() })
      .expect(403);
    await t.as('alice').patch(`${path()}/1`, { name: 'X' }).expect(403);
    await t.as('alice').delete(`${path()}/1`).expect(403);
    await t.anonymous().get(`/cloud-billing${path()}`).expect(401);
  });

  it.each([
    ['key', 'matches', { key: 'IPv4' }],
    ['key', 'maxLength', { key: 'a'.repeat(65) }],
    ['name', 'isNotEmpty', { name: '' }],
    ['unit', 'isString', { unit: 7 }],
    ['price', 'isCreditAmount', { price: '-1' }],
    ['price', 'isCreditAmount', { price: '0.0000001' }],
    ['price', 'maxCredits', { price: '100000000.000001' }],
    ['price', 'maxHourlyRate', { price: '1000000.000001', periodSeconds: 3_600 }],
    ['periodSeconds', 'min', { periodSeconds: -1 }],
    ['periodSeconds', 'max', { periodSeconds: 31 * DAY + 1 }],
    ['periodSeconds', 'isInt', { periodSeconds: 1.5 }],
    ['periodSeconds', 'isInt', { periodSeconds: undefined }],
    ['kind', 'isIn', { kind: 'monthly' }],
    ['kind', 'oneOffIsPrepaid', { periodSeconds: 0 }],
    ['quantitySource', 'isIn', { quantitySource: 'measured' }],
    ['fixedQuantity', 'requiredWhenFixed', { fixedQuantity: undefined }],
    ['fixedQuantity', 'onlyWhenFixed', { quantitySource: 'reported' }],
    ['fixedQuantity', 'isPositiveQuantity', { fixedQuantity: '0' }],
    ['fixedQuantity', 'isPositiveQuantity', { fixedQuantity: '1.0000001' }],
    ['fixedQuantity', 'maxQuantity', { fixedQuantity: '1000000.000001' }],
    ['fixedQuantity', 'isNotNull', { fixedQuantity: null }],
    ['on', 'arrayNotEmpty', { on: [] }],
    ['on', 'arrayUnique', { on: ['running', 'running'] }],
    ['on', 'isIn', { on: ['deleted'] }],
    ['on', 'isArray', { on: 'running' }],
    ['except', 'isBoolean', { except: 'yes' }],
    ['color', 'whitelistValidation', { color: 'red' }],
  ])('refuses a bad %s (%s) with a 400 naming it, writing nothing: %j', async (field, rule, change) => {
    const before = await everything();
    const { body: error } = await admin()
      .post(path(), { ...IPV4, key: 'bad', ...change })
      .expect(400);
    expect(error.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await everything()).toEqual(before);
  });

  it.each([
    [{ name: null }, 'name'],
    [{ except: null }, 'except'],
    [{ on: ['suspended', 'paused'] }, 'on'],
    [{ price: '1000000.5', periodSeconds: 3_600 }, 'price'],
    [{ quantitySource: 'reported', fixedQuantity: '2' }, 'fixedQuantity'],
  ])('refuses the PATCH %j with a 400 naming %s, changing nothing', async (patch, field) => {
    const rule = (await list()).find((r) => r.key === 'ipv4') as RuleView;
    const { body: error } = await admin().patch(`${path()}/${rule.id}`, patch).expect(400);
    expect(error.errors).toContainEqual(expect.objectContaining({ field }));
    expect((await list()).find((r) => r.id === rule.id)).toEqual(rule);
  });

  it('keeps a key unique among a plan’s live rules: 409 for a duplicate, the same key on another plan is fine', async () => {
    const before = await everything();
    const taken = await admin().post(path(), IPV4).expect(409);
    expect(taken.body.message).toBe(`plan ${planId} already has a rule with key "ipv4"`);
    const other = await create({ ...SUSPENSION_FEE, key: freshKey() });
    await admin().patch(`${path()}/${other.id}`, { key: 'ipv4' }).expect(409);
    expect((await everything()).filter((rule) => rule.id !== other.id)).toEqual(before);
    expect(await create(IPV4, otherPlanId)).toMatchObject({ key: 'ipv4', planId: otherPlanId });
  });

  it(`lets exactly one of concurrent creates of a key win (${testEngine()})`, async () => {
    for (let round = 0; round < 3; round++) {
      const key = freshKey();
      const answers = await Promise.all(Array.from({ length: 6 }, () => admin().post(path(), { ...IPV4, key })));
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      expect((await list()).filter((rule) => rule.key === key)).toHaveLength(1);
    }
  });

  it('goes with its plan when the catalog deletes a plan no instance used', async () => {
    const doomed = await createPlan(t, { hourlyPrice: '0.1' });
    const rule = await create(IPV4, doomed);
    await admin().delete(`/admin/plans/${doomed}`).expect(204);
    await admin().get(path(doomed)).expect(404);
    expect(await t.app.get(MeteringLookupService).rule(rule.id)).toBeNull();
  });

  it('takes a monthly cap, changes and removes it, and refuses one that is not a positive amount', async () => {
    // A plan of its own: other tests list their plans' rules.
    const cappedPlan = await createPlan(t, { hourlyPrice: '0.5' });
    const capped = await create({ ...IPV4, key: freshKey(), monthlyCap: '2.5' }, cappedPlan);
    expect(capped.monthlyCap).toBe('2.5');
    const path = `/admin/plans/${cappedPlan}/rules/${capped.id}`;
    expect((await admin().patch(path, { monthlyCap: '0.000001' }).expect(200)).body.monthlyCap).toBe('0.000001');
    expect((await admin().patch(path, { name: 'Renamed' }).expect(200)).body.monthlyCap).toBe('0.000001');
    expect((await admin().patch(path, { monthlyCap: null }).expect(200)).body.monthlyCap).toBeNull();
    for (const [monthlyCap, rule] of [
      ['0', 'positiveCap'],
      ['-1', 'isCreditAmount'],
      ['1.0000001', 'isCreditAmount'],
    ]) {
      const { body } = await admin()
        .post(`/admin/plans/${cappedPlan}/rules`, { ...IPV4, key: freshKey(), monthlyCap })
        .expect(400);
      expect(body.errors).toEqual([expect.objectContaining({ field: 'monthlyCap', rule })]);
    }
  });
});
