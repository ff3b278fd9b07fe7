import { DataSource } from 'typeorm';
import { createPlan, registerInstance, sendEvent, stopTheWorldAt } from './support/billing-fixtures';
import { DISK_READS_COUNTER, TRAFFIC_COUNTER } from './support/metering-fixtures';
import { tableDigests } from './support/table-digests';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;

interface ReportView {
  id: string;
  counter: string;
  quantity: string;
  reading: string | null;
  at: string;
  [field: string]: unknown;
}

describe(`metered usage the host reports (${testEngine()})`, () => {
  let t: TestApp;
  let planId: number;
  let otherPlanId: number;
  let ids = 0;
  const admin = () => t.as('admin');
  const freshId = () => `usage-${++ids}`;
  const report = (instanceId: string, body: object) => admin().post(`/host/instances/${instanceId}/usage`, body);
  const listed = async (instanceId: string, month = '2026-03'): Promise<ReportView[]> =>
    (await admin().get(`/admin/instances/${instanceId}/usage?month=${month}`).expect(200)).body;
  const digests = () => tableDigests(t.app.get(DataSource));
  /** A report of 1 GB of traffic at 13:00 under a new id, but for `fields`. */
  const usage = (fields: object = {}) => ({
    counter: 'traffic-out',
    quantity: '1',
    at: at('13:00:00'),
    id: freshId(),
    ...fields,
  });

  beforeAll(async () => {
    t = await startTestApp();
    planId = await createPlan(t, { hourlyPrice: '0.5' });
    otherPlanId = await createPlan(t, { hourlyPrice: '1' });
    await admin().post('/admin/counters', TRAFFIC_COUNTER).expect(201);
    await admin()
      .post('/admin/counters', { ...DISK_READS_COUNTER, planIds: [otherPlanId] })
      .expect(201);
    await registerInstance(t, 'vm-1', 'alice', planId, at('12:00:00'));
    // Later without billing anything: these tests are about what is stored, not charged.
    stopTheWorldAt(t, at('18:00:00'));
  });
  afterAll(() => t.close());

  it('stores a quantity exactly, in the hour it belongs to, and lists it for the admin', async () => {
    const id = freshId();
    const { body } = await report('vm-1', {
      counter: 'traffic-out',
      quantity: '0.000001',
      at: at('13:59:59.999'),
      id,
    }).expect(201);
    expect(body).toEqual({
      id,
      late: false,
      instanceId: 'vm-1',
      userId: 'alice',
      counter: 'traffic-out',
      counterId: expect.any(Number),
      quantity: '0.000001',
      reading: null,
      at: at('13:59:59.999'),
      hourStart: at('13:00:00.000'),
      receivedAt: at('18:00:00.000'),
      billedAt: null,
      charge: null,
    });
    expect((await listed('vm-1')).find((r) => r.id === id)).toEqual(body);
    const big = await report('vm-1', {
      counter: 'traffic-out',
      quantity: 9_000_000_000,
      at: at('14:00:00'),
      id: freshId(),
    });
    expect(big.status).toBe(201);
    expect(big.body.quantity).toBe('9000000000');
  });

  it('answers a repeat of a report with the stored one and writes nothing; another body under its id is a 409', async () => {
    const id = 'host:vm-1:traffic.42';
    const body = { counter: 'traffic-out', quantity: '2.5', at: at('14:10:00'), id };
    const first = (await report('vm-1', body).expect(201)).body;
    const before = await digests();
    // The same report, however its numbers are spelled.
    expect((await report('vm-1', body).expect(200)).body).toEqual(first);
    expect((await report('vm-1', { ...body, quantity: 2.5, at: '2026-03-10T14:10:00.000Z' }).expect(200)).body).toEqual(
      first,
    );
    for (const other of [{ quantity: '2.6' }, { at: at('14:10:01') }, { quantity: undefined, reading: '2.5' }]) {
      const { body: error } = await report('vm-1', { ...body, ...other }).expect(409);
      expect(error.errors).toEqual([expect.objectContaining({ field: 'id', rule: 'sameReport' })]);
    }
    await registerInstance(t, 'vm-2', 'bob', planId, at('12:00:00'));
    const elsewhere = await report('vm-2', body).expect(409);
    expect(elsewhere.body.message).toContain('id: report "host:vm-1:traffic.42" was already received');
    expect(await digests()).toEqual({ ...before, ...(await digestsOfInstanceTables()) });
  });

  /** Registering vm-2 above changed the instance tables only. */
  async function digestsOfInstanceTables() {
    const all = await digests();
    return Object.fromEntries(Object.entries(all).filter(([table]) => table.startsWith('cloud_billing_instance')));
  }

  it('turns readings into what they add: a baseline first, differences after, a reset adding the reading itself', async () => {
    await registerInstance(t, 'vm-r', 'alice', planId, at('12:00:00'));
    const read = async (reading: string, clock: string) =>
      (await report('vm-r', { counter: 'traffic-out', reading, at: at(clock), id: freshId() }).expect(201)).body;
    expect(await read('100', '12:10:00')).toMatchObject({ reading: '100', quantity: '0' });
    expect(await read('150.000001', '12:20:00')).toMatchObject({ reading: '150.000001', quantity: '50.000001' });
    expect(await read('150.000001', '12:30:00')).toMatchObject({ quantity: '0' });
    // The agent restarted: its counter starts again from 0.
    expect(await read('30', '12:40:00')).toMatchObject({ reading: '30', quantity: '30' });
    expect(await read('45.5', '12:50:00')).toMatchObject({ quantity: '15.5' });

    // A reading older than the last one is refused; quantities may come in any order.
    const before = await digests();
    const { body: late } = await report(
      'vm-r',
      usage({ quantity: undefined, reading: '40', at: at('12:45:00') }),
    ).expect(409);
    expect(late.errors).toEqual([expect.objectContaining({ field: 'at', rule: 'notBeforeLastReading' })]);
    expect(await digests()).toEqual(before);
    await report('vm-r', usage({ at: at('12:05:00') })).expect(201);

    const rows = await listed('vm-r');
    expect(rows.map((r) => [r.at, r.reading, r.quantity])).toEqual([
      [at('12:05:00.000'), null, '1'],
      [at('12:10:00.000'), '100', '0'],
      [at('12:20:00.000'), '150.000001', '50.000001'],
      [at('12:30:00.000'), '150.000001', '0'],
      [at('12:40:00.000'), '30', '30'],
      [at('12:50:00.000'), '45.5', '15.5'],
    ]);
  });

  it.each([
    ['counter', 'isKnownCounter', { counter: 'no-such-counter' }],
    ['counter', 'matches', { counter: 'Traffic Out' }],
    ['counter', 'onInstancePlan', { counter: 'disk-read-requests' }],
    ['quantity', 'isQuantity', { quantity: '-1' }],
    ['quantity', 'isQuantity', { quantity: -0.5 }],
    ['quantity', 'isQuantity', { quantity: '1.0000001' }],
    ['quantity', 'maxQuantity', { quantity: '9000000000.000001' }],
    ['quantity', 'isNotNull', { quantity: null }],
    ['reading', 'isQuantity', { quantity: undefined, reading: '-3' }],
    ['reading', 'quantityOrReading', { reading: '3' }],
    ['quantity', 'quantityOrReading', { quantity: undefined }],
    ['at', 'isIso8601', { at: 'yesterday' }],
    ['at', 'isIso8601', { at: undefined }],
    ['at', 'notInFuture', { at: at('18:00:00.001') }],
    ['at', 'afterCreation', { at: at('11:59:59') }],
    ['id', 'isString', { id: undefined }],
    ['id', 'isNotEmpty', { id: '' }],
    ['id', 'maxLength', { id: 'x'.repeat(161) }],
    ['id', 'matches', { id: 'usage 1' }],
    ['id', 'matches', { id: 'usage/1' }],
    ['color', 'whitelistValidation', { color: 'red' }],
  ])('refuses a bad %s (%s) with a 400 naming it, writing nothing: %j', async (field, rule, change) => {
    const before = await digests();
    const body = usage(change);
    const { body: error } = await report('vm-1', body).expect(400);
    expect(error.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await digests()).toEqual(before);
  });

  it('accepts an id of 160 characters among [A-Za-z0-9._:-]', async () => {
    const id = `A-z.0_9:${'x'.repeat(152)}`;
    await report('vm-1', usage({ id })).expect(201);
  });

  it('refuses a retired counter as unknown, and a counter not on the plan the instance was on at that time', async () => {
    const gone = (
      await admin()
        .post('/admin/counters', { ...DISK_READS_COUNTER, key: 'gone-soon' })
        .expect(201)
    ).body;
    await report('vm-1', usage({ counter: 'gone-soon' })).expect(201);
    await admin().delete(`/admin/counters/${gone.id}`).expect(204);
    const { body: retired } = await report('vm-1', usage({ counter: 'gone-soon' })).expect(400);
    expect(retired.errors).toEqual([expect.objectContaining({ field: 'counter', rule: 'isKnownCounter' })]);

    await registerInstance(t, 'vm-grow', 'alice', planId, at('12:00:00'));
    await sendEvent(t, 'vm-grow', 'resized', at('16:00:00'), otherPlanId).expect(200);
    const reads = (clock: string) => ({
      counter: 'disk-read-requests',
      quantity: '5000',
      at: at(clock),
      id: freshId(),
    });
    const { body: before } = await report('vm-grow', reads('15:59:59')).expect(400);
    expect(before.errors).toEqual([expect.objectContaining({ field: 'counter', rule: 'onInstancePlan' })]);
    await report('vm-grow', reads('16:00:00')).expect(201);
  });

  it('takes reports of a terminated instance dated up to its termination, and none after', async () => {
    await registerInstance(t, 'vm-end', 'alice', planId, at('12:00:00'));
    await sendEvent(t, 'vm-end', 'terminated', at('15:00:00')).expect(200);
    await report('vm-end', usage({ at: at('14:30:00') })).expect(201);
    await report('vm-end', usage({ at: at('15:00:00') })).expect(201);
    const { body } = await report('vm-end', usage({ at: at('15:00:01') })).expect(400);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'at', rule: 'beforeTermination' })]);
  });

  it('refuses a report older than the late event window with a 409 that names the window, storing nothing', async () => {
    await admin().patch('/admin/settings', { lateEventWindowHours: 1 }).expect(200);
    try {
      const before = await digests();
      const { body } = await report('vm-1', usage({ at: at('12:30:00') })).expect(409);
      expect(body.message).toContain('late event window of 1 hours');
      expect(await digests()).toEqual(before);
    } finally {
      await admin().patch('/admin/settings', { lateEventWindowHours: 72 }).expect(200);
    }
  });

  it('answers 404 for an unknown instance, 400 for a malformed one or month, and is for admins only', async () => {
    const body = usage();
    await report('vm-404', body).expect(404);
    await admin().get('/admin/instances/vm-404/usage').expect(404);
    const { body: badId } = await report('vm 1', body).expect(400);
    expect(badId.errors).toContainEqual(expect.objectContaining({ field: 'id' }));
    for (const month of ['2026-13', '2026-3', 'march']) {
      const { body: error } = await admin().get(`/admin/instances/vm-1/usage?month=${month}`).expect(400);
      expect(error.errors).toContainEqual(expect.objectContaining({ field: 'month' }));
    }
    await t.as('alice').post('/host/instances/vm-1/usage', body).expect(403);
    await t.as('alice').get('/admin/instances/vm-1/usage').expect(403);
    await t.anonymous().post('/cloud-billing/host/instances/vm-1/usage').send(body).expect(401);
  });

  it('lists a month in the billing time zone, the current one by default', async () => {
    await registerInstance(t, 'vm-m', 'alice', planId, at('12:00:00'));
    stopTheWorldAt(t, '2026-04-01T02:00:00Z');
    try {
      await report('vm-m', { counter: 'traffic-out', quantity: '1', at: '2026-03-31T23:30:00Z', id: 'm-1' }).expect(
        201,
      );
      await report('vm-m', { counter: 'traffic-out', quantity: '2', at: '2026-04-01T00:30:00Z', id: 'm-2' }).expect(
        201,
      );
      expect((await listed('vm-m', '2026-03')).map((r) => r.id)).toEqual(['m-1']);
      const thisMonth = (await admin().get('/admin/instances/vm-m/usage').expect(200)).body as ReportView[];
      expect(thisMonth.map((r) => r.id)).toEqual(['m-2']);
      // Two hours ahead of UTC, both fall in April.
      await admin().patch('/admin/settings', { timeZone: 'Europe/Helsinki' }).expect(200);
      expect((await listed('vm-m', '2026-04')).map((r) => r.id)).toEqual(['m-1', 'm-2']);
      expect(await listed('vm-m', '2026-03')).toEqual([]);
    } finally {
      await admin().patch('/admin/settings', { timeZone: 'UTC' }).expect(200);
      stopTheWorldAt(t, at('18:00:00'));
    }
  });

  it('counts readings sent at once against the previous one each, never two against the same', async () => {
    await registerInstance(t, 'vm-p', 'alice', planId, at('12:00:00'));
    await report('vm-p', { counter: 'traffic-out', reading: '1000', at: at('13:00:00'), id: 'p-0' }).expect(201);
    // Twelve readings, later ones higher, sent together: whatever order they commit in, a reading older than one
    // committed before it is refused, and each one accepted adds its difference from the one accepted before it.
    const readings = Array.from({ length: 12 }, (_, i) => ({
      counter: 'traffic-out',
      reading: String(1000 + (i + 1) * 10),
      at: at(`13:${String(i + 1).padStart(2, '0')}:00`),
      id: `p-${i + 1}`,
    }));
    const quantities = Array.from({ length: 12 }, (_, i) => ({
      counter: 'traffic-out',
      quantity: '0.5',
      at: at(`14:${String(i).padStart(2, '0')}:00`),
      id: `q-${i}`,
    }));
    const answers = await Promise.all([...readings, ...quantities].map((body) => report('vm-p', body)));
    expect(answers.slice(12).map((a) => a.status)).toEqual(Array(12).fill(201));
    for (const answer of answers.slice(0, 12)) expect([201, 409]).toContain(answer.status);

    const rows = (await listed('vm-p')).filter((r) => r.reading !== null);
    const accepted = rows.map((r) => Number(r.reading));
    expect(accepted).toEqual([...accepted].sort((a, b) => a - b));
    rows.slice(1).forEach((row, i) => expect(Number(row.quantity)).toBe(accepted[i + 1] - accepted[i]));
    const total = rows.reduce((sum, r) => sum + Number(r.quantity), 0);
    expect(total).toBe(accepted[accepted.length - 1] - 1000);
    // The last reading can only be refused if it came second to none: it is the latest of all.
    expect(accepted[accepted.length - 1]).toBe(1120);
  });

  it('stores one report when the same one is sent several times at once', async () => {
    const body = { counter: 'traffic-out', quantity: '7', at: at('15:00:00'), id: 'same-at-once' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => report('vm-1', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect((await listed('vm-1')).filter((r) => r.id === 'same-at-once')).toHaveLength(1);
  });
});
