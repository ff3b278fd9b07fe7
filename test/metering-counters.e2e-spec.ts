import { DataSource } from 'typeorm';
import { Metering1763740011000 } from '../migrations/1763740011000-metering';
import { MeteredUsage1763740012000 } from '../migrations/1763740012000-metered-usage';
import { MeteringLookupService } from '../src/metering/metering-lookup.service';
import { pieceCharge } from '../src/metering/rating/cumulative-charge';
import { parseQuantity } from '../src/common/quantities';
import { createPlan, setClock } from './support/billing-fixtures';
import { DISK_READS_COUNTER, TRAFFIC_COUNTER } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TEST_CLOCK_START, TestApp } from './support/test-app';

const TRAFFIC = TRAFFIC_COUNTER;
const DISK_READS = DISK_READS_COUNTER;

interface CounterView {
  id: number;
  key: string;
  planIds: number[] | null;
  [field: string]: unknown;
}

const TABLES = [
  'cloud_billing_resource_rules',
  'cloud_billing_metered_counters',
  'cloud_billing_counter_ranges',
  'cloud_billing_counter_plans',
  'cloud_billing_metered_usage',
];

describe('admin: metered counters', () => {
  let t: TestApp;
  let planId: number;
  let otherPlanId: number;
  let keys = 0;
  const admin = () => t.as('admin');
  const list = async (query = ''): Promise<CounterView[]> =>
    (await admin().get(`/admin/counters${query}`).expect(200)).body;
  const everything = () => list('?includeRetired=true');
  const create = async (body: object): Promise<CounterView> =>
    (await admin().post('/admin/counters', body).expect(201)).body;
  const freshKey = () => `counter-${++keys}`;
  const lookup = () => t.app.get(MeteringLookupService);

  beforeAll(async () => {
    t = await startTestApp();
    planId = await createPlan(t, { hourlyPrice: '0.5' });
    otherPlanId = await createPlan(t, { hourlyPrice: '1' });
  });
  afterAll(() => t.close());

  it('creates counters for every plan or for some, echoing every field exactly, and lists them by key', async () => {
    const traffic = await create(TRAFFIC);
    expect(traffic).toEqual({
      ...TRAFFIC,
      id: expect.any(Number),
      planIds: null,
      createdAt: TEST_CLOCK_START.toISOString(),
      retiredAt: null,
    });
    // Plans come back in id order, whatever order they were sent in.
    const reads = await create({ ...DISK_READS, planIds: [otherPlanId, planId] });
    expect(reads).toMatchObject({ ...DISK_READS, planIds: [planId, otherPlanId] });
    expect(await list()).toEqual([reads, traffic]);
  });

  it('keeps ranges and measurement units exact to the sixth decimal, up to their bounds', async () => {
    const body = {
      ...TRAFFIC,
      key: freshKey(),
      measurementUnit: '0.000001',
      ranges: [
        { from: 0, price: 0.000001 },
        { from: '0.000001', price: '1000000' },
        { from: '999999999.999999', price: '0.000001' },
        { from: '1000000000', price: '0' },
      ],
    };
    const created = await create(body);
    expect(created).toMatchObject({
      measurementUnit: '0.000001',
      ranges: [
        { from: '0', price: '0.000001' },
        { from: '0.000001', price: '1000000' },
        { from: '999999999.999999', price: '0.000001' },
        { from: '1000000000', price: '0' },
      ],
    });
    expect((await list()).find((counter) => counter.id === created.id)).toEqual(created);
    const big = await create({ ...DISK_READS, key: freshKey(), measurementUnit: '1000000000' });
    expect(big.measurementUnit).toBe('1000000000');
  });

  it('changes only what a PATCH sends; ranges and planIds replace the whole list, null plans meaning every plan', async () => {
    const counter = await create({ ...TRAFFIC, key: freshKey() });
    const url = `/admin/counters/${counter.id}`;
    const renamed = (await admin().patch(url, { name: 'Egress' }).expect(200)).body;
    expect(renamed).toEqual({ ...counter, name: 'Egress' });

    const ranges = [
      { from: '0', price: '0' },
      { from: '500.5', price: '0.02' },
    ];
    const repriced = (
      await admin()
        .patch(url, { ranges, planIds: [planId] })
        .expect(200)
    ).body;
    expect(repriced).toEqual({ ...renamed, ranges, planIds: [planId] });
    const everywhere = (await admin().patch(url, { planIds: null, measurementUnit: 1000 }).expect(200)).body;
    expect(everywhere).toEqual({ ...repriced, planIds: null, measurementUnit: '1000' });
    expect((await list()).find((c) => c.id === counter.id)).toEqual(everywhere);
  });

  it('retires a deleted counter: it leaves the list, stays on record under its name, and frees its key', async () => {
    const key = freshKey();
    const counter = await create({ ...TRAFFIC, key });
    await setClock(t, '2026-03-10T16:45:00Z');
    await admin().delete(`/admin/counters/${counter.id}`).expect(204);

    expect((await list()).map((c) => c.id)).not.toContain(counter.id);
    expect((await everything()).find((c) => c.id === counter.id)).toEqual({
      ...counter,
      retiredAt: '2026-03-10T16:45:00.000Z',
    });
    const patch = await admin().patch(`/admin/counters/${counter.id}`, { name: 'X' }).expect(404);
    expect(patch.body.message).toContain('was deleted at 2026-03-10T16:45:00.000Z');
    await admin().delete(`/admin/counters/${counter.id}`).expect(404);

    const successor = await create({ ...TRAFFIC, key });
    expect(successor.id).not.toBe(counter.id);
    expect(await lookup().counter(counter.id)).toMatchObject({ name: TRAFFIC.name, key, retiredAt: expect.any(Date) });
    expect((await lookup().countersForPlan(planId)).map((c) => c.id)).not.toContain(counter.id);
  });

  it('gives the features above the counter that applies to a plan, priced by its ranges', async () => {
    const traffic = await lookup().counterForPlan('traffic-out', otherPlanId);
    // 999.5 GB used before this hour, 1 GB in it: half a GB free, half at 0.01.
    expect(pieceCharge(traffic!.pricing, parseQuantity('999.5'), parseQuantity(1))).toBe(5_000n);
    const reads = await lookup().counterForPlan('disk-read-requests', planId);
    expect(reads).toMatchObject({ measurementUnit: 1_000_000_000_000n, planIds: [planId, otherPlanId] });
    expect(pieceCharge(reads!.pricing, 0n, parseQuantity(2_500_000))).toBe(1_000_000n);

    const onlyOther = await create({ ...DISK_READS, key: freshKey(), planIds: [otherPlanId] });
    expect(await lookup().counterForPlan(onlyOther.key, planId)).toBeNull();
    expect(await lookup().counterForPlan(onlyOther.key, otherPlanId)).toMatchObject({ id: onlyOther.id });
    expect(await lookup().counterForPlan('no-such-counter', planId)).toBeNull();
    const forPlan = (await lookup().countersForPlan(planId)).map((c) => c.key);
    expect(forPlan).toEqual(expect.arrayContaining(['disk-read-requests', 'traffic-out']));
    expect(forPlan).not.toContain(onlyOther.key);
  });

  it('answers 404 for an unknown counter, 400 for a malformed id, and is for admins only', async () => {
    await admin().patch('/admin/counters/999999', { name: 'X' }).expect(404);
    await admin().delete('/admin/counters/999999').expect(404);
    for (const id of ['abc', '1.5', '0']) {
      const { body } = await admin().patch(`/admin/counters/${id}`, { name: 'X' }).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field: 'id' }));
    }
    await admin().get('/admin/counters?includeRetired=yes').expect(400);
    await t.as('alice').get('/admin/counters').expect(403);
    await t
      .as('alice')
      .post('/admin/counters', { ...TRAFFIC, key: freshKey() })
      .expect(403);
    await t.as('alice').patch('/admin/counters/1', { name: 'X' }).expect(403);
    await t.as('alice').delete('/admin/counters/1').expect(403);
    await t.anonymous().get('/cloud-billing/admin/counters').expect(401);
  });

  it.each([
    ['key', 'matches', { key: 'Traffic Out' }],
    ['name', 'isNotEmpty', { name: '' }],
    ['unitName', 'maxLength', { unitName: 'x'.repeat(33) }],
    ['measurementUnit', 'isPositiveQuantity', { measurementUnit: '0' }],
    ['measurementUnit', 'isPositiveQuantity', { measurementUnit: '-1' }],
    ['measurementUnit', 'isPositiveQuantity', { measurementUnit: '1.0000001' }],
    ['measurementUnit', 'maxQuantity', { measurementUnit: '1000000000.000001' }],
    ['ranges', 'isArray', { ranges: 'free' }],
    ['ranges', 'hasPriceRange', { ranges: [] }],
    ['ranges', 'startsAtZero', { ranges: [{ from: '1', price: '0' }] }],
    ['ranges', 'strictlyIncreasing', { ranges: [...TRAFFIC.ranges, { from: '10000', price: '0.005' }] }],
    ['ranges', 'arrayMaxSize', { ranges: Array.from({ length: 21 }, (_, i) => ({ from: String(i), price: '1' })) }],
    ['ranges.0.price', 'isCreditAmount', { ranges: [{ from: '0' }] }],
    [
      'ranges.1.price',
      'isCreditAmount',
      {
        ranges: [
          { from: '0', price: '0' },
          { from: '5', price: '-0.01' },
        ],
      },
    ],
    ['ranges.0.price', 'maxCredits', { ranges: [{ from: '0', price: '1000000.000001' }] }],
    ['ranges.0.from', 'isQuantity', { ranges: [{ from: 'zero', price: '0' }] }],
    ['ranges.0.from', 'maxQuantity', { ranges: [{ from: '1000000000.000001', price: '0' }] }],
    ['ranges.0.extra', 'whitelistValidation', { ranges: [{ from: '0', price: '0', extra: 1 }] }],
    ['planIds', 'arrayNotEmpty', { planIds: [] }],
    ['planIds', 'arrayUnique', { planIds: [1, 1] }],
    ['planIds', 'isInt', { planIds: ['1'] }],
    ['planIds', 'isExistingPlan', { planIds: [999_999] }],
    ['color', 'whitelistValidation', { color: 'red' }],
  ])('refuses a bad %s (%s) with a 400 naming it, writing nothing: %j', async (field, rule, change) => {
    const before = await everything();
    const { body: error } = await admin()
      .post('/admin/counters', { ...TRAFFIC, key: 'bad', ...change })
      .expect(400);
    expect(error.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await everything()).toEqual(before);
  });

  it.each([
    [{ name: null }, 'name'],
    [{ ranges: null }, 'ranges'],
    [{ ranges: [{ from: '2', price: '1' }] }, 'ranges'],
    [{ planIds: [999_999] }, 'planIds'],
    [{ measurementUnit: 0 }, 'measurementUnit'],
  ])('refuses the PATCH %j with a 400 naming %s, changing nothing', async (patch, field) => {
    const counter = (await list()).find((c) => c.key === 'traffic-out') as CounterView;
    const { body: error } = await admin().patch(`/admin/counters/${counter.id}`, patch).expect(400);
    expect(error.errors).toContainEqual(expect.objectContaining({ field }));
    expect((await list()).find((c) => c.id === counter.id)).toEqual(counter);
  });

  it('keeps a key unique among live counters: 409 for a duplicate, by POST or by PATCH', async () => {
    const before = await everything();
    const taken = await admin().post('/admin/counters', TRAFFIC).expect(409);
    expect(taken.body.message).toBe('a counter with key "traffic-out" already exists');
    const other = (await list()).find((c) => c.key === 'disk-read-requests') as CounterView;
    await admin().patch(`/admin/counters/${other.id}`, { key: 'traffic-out' }).expect(409);
    expect(await everything()).toEqual(before);
  });

  it(`lets exactly one of concurrent creates of a key win (${testEngine()})`, async () => {
    for (let round = 0; round < 3; round++) {
      const key = freshKey();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => admin().post('/admin/counters', { ...TRAFFIC, key })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
      const winners = (await list()).filter((counter) => counter.key === key);
      // The winner's ranges are whole: no loser's rows mixed in.
      expect(winners).toEqual([expect.objectContaining({ ranges: TRAFFIC.ranges })]);
    }
  });

  it('loses a plan the catalog deletes from its list, and keeps billing the others', async () => {
    const doomed = await createPlan(t, { hourlyPrice: '0.1' });
    const counter = await create({ ...DISK_READS, key: freshKey(), planIds: [planId, doomed] });
    await admin().delete(`/admin/plans/${doomed}`).expect(204);
    expect((await list()).find((c) => c.id === counter.id)?.planIds).toEqual([planId]);
  });

  it('has a migration whose down() drops its tables and whose up() makes them again', async () => {
    const queryRunner = t.app.get(DataSource).createQueryRunner();
    const migration = new Metering1763740011000();
    // The usage reports that name counters come after it, and go first (as a host reverting both would).
    const usage = new MeteredUsage1763740012000();
    try {
      await usage.down(queryRunner);
      await migration.down(queryRunner);
      for (const table of TABLES)
        expect({ table, exists: await queryRunner.hasTable(table) }).toEqual({ table, exists: false });
      await migration.up(queryRunner);
      await usage.up(queryRunner);
      for (const table of TABLES)
        expect({ table, exists: await queryRunner.hasTable(table) }).toEqual({ table, exists: true });
    } finally {
      await queryRunner.release();
    }
    expect(await list()).toEqual([]);
    expect(await create(TRAFFIC)).toMatchObject({ key: 'traffic-out', ranges: TRAFFIC.ranges });
  });
});
