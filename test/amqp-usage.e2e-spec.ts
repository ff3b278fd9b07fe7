import { DataSource } from 'typeorm';
import { REFUSAL_HEADERS } from '../src/amqp/amqp.constants';
import { describeWithBroker, RABBITMQ_URL, TestBroker, waitFor } from './support/amqp-broker';
import { at } from './support/amqp-traffic';
import { createPlan, registerInstance, stopTheWorldAt } from './support/billing-fixtures';
import { TRAFFIC_COUNTER } from './support/metering-fixtures';
import { tableDigests } from './support/table-digests';
import { startTestApp, TestApp } from './support/test-app';

type Usage = { counter: string; at: string; id: string } & ({ quantity: string } | { reading: string });

/** A quantity, a series of readings with a reset, and a quantity dated before them: what a host sends. */
const REPORTS: Usage[] = [
  { counter: 'traffic-out', quantity: '0.000001', at: at('12:10:00'), id: 'u-1' },
  { counter: 'traffic-out', reading: '100', at: at('12:20:00'), id: 'u-2' },
  { counter: 'traffic-out', reading: '175.5', at: at('12:30:00'), id: 'u-3' },
  { counter: 'traffic-out', reading: '20', at: at('12:40:00'), id: 'u-4' },
  { counter: 'traffic-out', quantity: '3', at: at('12:05:00'), id: 'u-5' },
];

const message = (usage: object) => ({ type: 'instance.usage', instanceId: 'vm-1', usage });

async function withInstance(t: TestApp): Promise<void> {
  const planId = await createPlan(t, { hourlyPrice: '1' });
  await t.as('admin').post('/admin/counters', TRAFFIC_COUNTER).expect(201);
  await registerInstance(t, 'vm-1', 'alice', planId, at('12:00:00'));
  stopTheWorldAt(t, at('13:00:00'));
}

const listed = async (t: TestApp): Promise<{ id: string }[]> =>
  (await t.as('admin').get('/admin/instances/vm-1/usage?month=2026-03').expect(200)).body;

describeWithBroker('usage reports over AMQP', () => {
  let broker: TestBroker;
  let t: TestApp;

  beforeEach(async () => {
    broker = await TestBroker.open();
    t = await startTestApp({ amqp: { url: RABBITMQ_URL, ...broker.queues } });
    await withInstance(t);
  });
  afterEach(async () => {
    await t?.close();
    await broker?.close();
  });

  /** Publishes `usage` after the messages before it, and waits until the consumer has stored it. */
  async function publishAndWait(usage: Usage): Promise<void> {
    await broker.publish(message(usage));
    await waitFor(`usage ${usage.id} stored`, async () => (await listed(t)).some((r) => r.id === usage.id));
  }

  it('stores what the same reports over HTTP store, and a redelivered one adds nothing', async () => {
    const http = await startTestApp();
    try {
      await withInstance(http);
      for (const usage of REPORTS) await http.as('admin').post('/host/instances/vm-1/usage', usage).expect(201);
      for (const usage of REPORTS.slice(0, -1)) await broker.publish(message(usage));
      await publishAndWait(REPORTS[REPORTS.length - 1]);
      const overHttp = await listed(http);
      expect(await listed(t)).toEqual(overHttp);
      expect(overHttp.map((r) => r.id)).toEqual(['u-5', 'u-1', 'u-2', 'u-3', 'u-4']);

      // A message the consumer gets again (it died before its ack) is the same report: nothing is added.
      const before = await tableDigests(t.app.get(DataSource));
      await broker.publish(message(REPORTS[2]));
      await broker.publish(message(REPORTS[3]));
      await publishAndWait({ counter: 'traffic-out', quantity: '1', at: at('12:50:00'), id: 'u-6' });
      expect((await listed(t)).slice(0, -1)).toEqual(overHttp);
      const after = await tableDigests(t.app.get(DataSource));
      expect(Object.keys(after).filter((table) => after[table] !== before[table])).toEqual([
        'cloud_billing_metered_usage',
      ]);
      expect(await broker.deadLetterCount()).toBe(0);
    } finally {
      await http.close();
    }
  });

  it('dead-letters a bad report with the field named under usage, and another body under a used id', async () => {
    await publishAndWait(REPORTS[0]);
    const before = await tableDigests(t.app.get(DataSource));
    await broker.publish(message({ ...REPORTS[1], reading: '-1' }));
    await broker.publish(message({ ...REPORTS[0], quantity: '2' }));
    await broker.publish(message({ ...REPORTS[1], counter: 'no-such-counter' }));
    const [negative, reused, unknown] = await broker.deadLetters(3);

    expect(JSON.parse(negative.headers[REFUSAL_HEADERS.errors] as string)).toEqual([
      expect.objectContaining({ field: 'usage.reading', rule: 'isQuantity' }),
    ]);
    expect(reused.headers).toMatchObject({ [REFUSAL_HEADERS.status]: 409 });
    expect(JSON.parse(reused.headers[REFUSAL_HEADERS.errors] as string)).toEqual([
      expect.objectContaining({ field: 'usage.id', rule: 'sameReport' }),
    ]);
    expect(JSON.parse(unknown.headers[REFUSAL_HEADERS.errors] as string)).toEqual([
      expect.objectContaining({ field: 'usage.counter', rule: 'isKnownCounter' }),
    ]);
    expect(await tableDigests(t.app.get(DataSource))).toEqual(before);
  });
});
