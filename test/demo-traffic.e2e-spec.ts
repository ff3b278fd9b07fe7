import { DataSource } from 'typeorm';
import { registerInstance, sendEvent } from './support/billing-fixtures';
import { DISK_READS_COUNTER } from './support/metering-fixtures';
import { tableDigests } from './support/table-digests';
import { testEngine } from './support/test-database';
import { startDemoApp, TestApp, TEST_CLOCK_START } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;

describe(`POST /demo/traffic (${testEngine()})`, () => {
  let t: TestApp;
  const admin = () => t.as('admin');
  const traffic = (body: object) => admin().post('/demo/traffic', body);
  const listed = async (instanceId: string) =>
    (await admin().get(`/admin/instances/${instanceId}/usage`).expect(200)).body as { id: string }[];
  const digests = () => tableDigests(t.app.get(DataSource));

  beforeAll(async () => {
    // The seeded demo: its plans carry the traffic-out counter.
    t = await startDemoApp({ seed: true });
    const plans = (await admin().get('/admin/plans').expect(200)).body as { id: number; slug: string }[];
    const planId = (slug: string) => plans.find((plan) => plan.slug === slug)?.id as number;
    await registerInstance(t, 'vm-1', 'alice', planId('c2-small'), at('11:00:00'));
    await registerInstance(t, 'vm-gone', 'alice', planId('c2-small'), at('11:00:00'));
    await sendEvent(t, 'vm-gone', 'terminated', at('11:30:00')).expect(200);
    await admin()
      .post('/admin/counters', { ...DISK_READS_COUNTER, planIds: [planId('g1-a100')] })
      .expect(201);
  });
  afterAll(() => t.close());

  it('stores a report of outgoing traffic at the demo clock, which the admin sees among the instance’s usage', async () => {
    const { body } = await traffic({ instanceId: 'vm-1', gb: '1500.25' }).expect(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^demo-traffic:/),
      instanceId: 'vm-1',
      userId: 'alice',
      counter: 'traffic-out',
      counterId: expect.any(Number),
      quantity: '1500.25',
      reading: null,
      at: TEST_CLOCK_START.toISOString(),
      hourStart: TEST_CLOCK_START.toISOString(),
      receivedAt: TEST_CLOCK_START.toISOString(),
      late: false,
      billedAt: null,
      charge: null,
    });
    expect(await listed('vm-1')).toContainEqual(body);
  });

  it('makes each call a report of its own, and takes another counter of the plan by key', async () => {
    const before = (await listed('vm-1')).length;
    const first = (await traffic({ instanceId: 'vm-1', gb: 2 }).expect(201)).body;
    const second = (await traffic({ instanceId: 'vm-1', gb: 2 }).expect(201)).body;
    expect(second.id).not.toBe(first.id);
    await admin()
      .post('/admin/counters', {
        key: 'traffic-in',
        name: 'Incoming traffic',
        unitName: 'GB',
        measurementUnit: '1',
        ranges: [{ from: '0', price: '0' }],
      })
      .expect(201);
    const incoming = (await traffic({ instanceId: 'vm-1', gb: '0.5', counter: 'traffic-in' }).expect(201)).body;
    expect(incoming).toMatchObject({ counter: 'traffic-in', quantity: '0.5' });
    expect((await listed('vm-1')).map((report) => report.id).slice(before)).toEqual([first.id, second.id, incoming.id]);
  });

  it.each([
    ['gb', 'isPositiveQuantity', { gb: '0' }],
    ['gb', 'isPositiveQuantity', { gb: -1 }],
    ['gb', 'isPositiveQuantity', { gb: '1.0000001' }],
    ['gb', 'isPositiveQuantity', { gb: 'ten' }],
    ['gb', 'isPositiveQuantity', { gb: undefined }],
    ['gb', 'maxQuantity', { gb: '9000000000.000001' }],
    ['instanceId', 'matches', { instanceId: 'vm 1' }],
    ['instanceId', 'matches', { instanceId: undefined }],
    ['counter', 'matches', { counter: 'Traffic Out' }],
    ['counter', 'isNotNull', { counter: null }],
    ['counter', 'isKnownCounter', { counter: 'no-such-counter' }],
    ['counter', 'onInstancePlan', { counter: 'disk-read-requests' }],
    ['instanceId', 'beforeTermination', { instanceId: 'vm-gone' }],
    ['at', 'whitelistValidation', { at: at('11:45:00') }],
  ])('refuses a bad %s (%s) with a 400 naming it, writing nothing: %j', async (field, rule, change) => {
    const before = await digests();
    const { body } = await traffic({ instanceId: 'vm-1', gb: '1', ...change }).expect(400);
    expect(body.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await digests()).toEqual(before);
  });

  it('answers 404 for an instance that does not exist, writing nothing', async () => {
    const before = await digests();
    const { body } = await traffic({ instanceId: 'vm-404', gb: '1' }).expect(404);
    expect(body.message).toContain('vm-404');
    expect(await digests()).toEqual(before);
  });
});
