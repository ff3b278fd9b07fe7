import { DataSource } from 'typeorm';
import { LateEventService } from '../src/billing/rerating/late-event.service';
import { REFUSAL_HEADERS } from '../src/amqp/amqp.constants';
import { describeWithBroker, RABBITMQ_URL, TestBroker, waitFor } from './support/amqp-broker';
import {
  applied,
  at,
  event,
  everythingBilled,
  Message,
  overHttp,
  registration,
  usage,
  withCatalog,
} from './support/amqp-traffic';
import { registerInstance, setClock } from './support/billing-fixtures';
import { differencesFrom } from './support/crash-snapshot';
import { tableDigests } from './support/table-digests';
import { startTestApp, TestApp } from './support/test-app';

/** The host's traffic for a few hours: registrations, late events that re-rate billed hours, a resize, an end. */
const TRAFFIC: ({ clock: string } | { message: Message })[] = [
  { message: registration('vm-1', 1, '12:00:00') },
  { clock: '12:30:00' },
  { message: registration('vm-2', 1, '12:20:00') },
  { message: usage('vm-1', 'traffic-1', '990', '12:25:00') },
  { clock: '15:01:00' },
  // Dated in an hour already settled: billed by the next run as an adjustment, across the 1,000 GB allowance.
  { message: usage('vm-1', 'traffic-2', '20', '13:10:00') },
  { message: usage('vm-1', 'traffic-3', '20', '15:00:50') },
  { message: event('vm-1', { type: 'stopped', at: at('13:30:00') }) },
  { message: event('vm-2', { type: 'resized', at: at('15:00:30'), planId: 2 }) },
  { message: event('vm-1', { type: 'started', at: at('15:00:45') }) },
  { clock: '18:01:00' },
  { message: event('vm-2', { type: 'terminated', at: at('17:30:00') }) },
  { clock: '19:01:00' },
];

describeWithBroker('instance events over AMQP', () => {
  let broker: TestBroker;
  let t: TestApp;

  beforeEach(async () => {
    broker = await TestBroker.open();
    t = await startTestApp({ amqp: { url: RABBITMQ_URL, ...broker.queues } });
    await withCatalog(t);
  });
  afterEach(async () => {
    await t?.close();
    await broker?.close();
  });

  it('gives the same instances, usage and ledger as the same calls over HTTP', async () => {
    const http = await startTestApp();
    try {
      await withCatalog(http);
      const db = t.app.get(DataSource);
      for (const step of TRAFFIC) {
        if ('clock' in step) {
          await setClock(http, at(step.clock));
          await setClock(t, at(step.clock));
          continue;
        }
        await overHttp(http, step.message);
        await broker.publish(step.message);
        await waitFor(`${JSON.stringify(step.message)} applied`, () => applied(db, step.message));
      }
      const overAmqp = await everythingBilled(db);
      const overHttpCalls = await everythingBilled(http.app.get(DataSource));

      expect(differencesFrom(overHttpCalls.snapshot, overAmqp.snapshot)).toEqual([]);
      expect(overAmqp.events).toEqual(overHttpCalls.events);
      expect(overAmqp.segments).toEqual(overHttpCalls.segments);
      // Not two empty ledgers alike: hours were charged, and the late stop re-rated two of them.
      const kinds = [...overAmqp.snapshot['ledger entries'].values()].map((row) => JSON.parse(row).kind as string);
      expect(kinds.filter((kind) => kind === 'charge').length).toBeGreaterThan(3);
      const adjustments = [...overAmqp.snapshot['ledger entries'].keys()].filter((key) =>
        ['rerate', 'late-usage'].some((prefix) => key.startsWith(`${prefix}`)),
      );
      // The instance and its running-only rule re-rated for two hours each, and the late report.
      expect(adjustments.map((key) => key.split(':')[0]).sort()).toEqual([
        'late-usage',
        'rerate',
        'rerate',
        'rerate-rules',
        'rerate-rules',
      ]);
      expect(kinds.filter((kind) => kind === 'adjustment')).toHaveLength(5);
      expect(await broker.deadLetterCount()).toBe(0);
    } finally {
      await http.close();
    }
  });

  it('dead-letters a malformed message with the field and rule, as the HTTP 400 names them, and writes nothing', async () => {
    await registerInstance(t, 'vm-1', 'alice', 1, at('12:00:00'));
    const before = await tableDigests(t.app.get(DataSource));

    await broker.publish(event('vm-1', { type: 'stopped', at: 'yesterday' }));
    await broker.publish({ type: 'instance.registered', instance: { id: 'vm-2', userId: 'alice', name: 'vm-2' } });
    await broker.publish(Buffer.from('{"type": "instance.event", '));
    await broker.publish(event('vm-1', { type: 'stopped', at: at('12:30:00') }), 'text/plain');
    const [badTime, noPlan, notJson, notJsonType] = await broker.deadLetters(4);

    expect(badTime.headers).toMatchObject({
      [REFUSAL_HEADERS.reason]: 'event.at: at must be a valid ISO 8601 date string',
      [REFUSAL_HEADERS.status]: 400,
      [REFUSAL_HEADERS.queue]: broker.queues.queue,
    });
    expect(JSON.parse(badTime.headers[REFUSAL_HEADERS.errors] as string)).toEqual([
      { field: 'event.at', rule: 'isIso8601', message: 'at must be a valid ISO 8601 date string' },
    ]);
    // The message itself is kept as it was published, for the host to fix and publish again.
    expect(JSON.parse(badTime.body)).toEqual(event('vm-1', { type: 'stopped', at: 'yesterday' }));
    expect(JSON.parse(noPlan.headers[REFUSAL_HEADERS.errors] as string)).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'instance.planId', rule: 'isInt' })]),
    );
    expect(noPlan.headers[REFUSAL_HEADERS.reason]).toMatch(/instance\.at: /);
    expect(notJson.headers[REFUSAL_HEADERS.reason]).toBe('body: the message must be JSON');
    expect(notJsonType.headers[REFUSAL_HEADERS.reason]).toMatch(/^content-type: the message must be JSON/);

    expect(await tableDigests(t.app.get(DataSource))).toEqual(before);
    expect(await broker.ready()).toBe(0);
  });

  it('dead-letters what the service refuses: an unknown instance, a plan that does not exist', async () => {
    await broker.publish(event('vm-404', { type: 'stopped', at: at('11:00:00') }));
    await broker.publish(registration('vm-1', 99, '11:00:00'));
    const [unknown, badPlan] = await broker.deadLetters(2);

    expect(unknown.headers).toMatchObject({
      [REFUSAL_HEADERS.reason]: 'instance vm-404 does not exist',
      [REFUSAL_HEADERS.status]: 404,
      [REFUSAL_HEADERS.errors]: '[]',
    });
    expect(badPlan.headers).toMatchObject({
      [REFUSAL_HEADERS.reason]: 'instance.planId: plan 99 does not exist',
      [REFUSAL_HEADERS.status]: 400,
    });
    const instances = await t.app.get(DataSource).query('SELECT id FROM cloud_billing_instances');
    expect(instances).toEqual([]);
  });

  it('opens a segment for resource quantities from the queue, and dead-letters a bad key naming its path', async () => {
    await registerInstance(t, 'vm-1', 'alice', 1, at('11:00:00'));
    const resources = event('vm-1', { type: 'resources', at: at('11:20:30'), resources: { ipv4: 2, backup: '0.5' } });
    await broker.publish(event('vm-1', { type: 'resources', at: at('11:30:00'), resources: { IPv4: 1 } }));
    await broker.publish(resources);
    const [badKey] = await broker.deadLetters(1);
    expect(JSON.parse(badKey.headers[REFUSAL_HEADERS.errors] as string)).toEqual([
      expect.objectContaining({ field: 'event.resources.IPv4', rule: 'isMeteringKey' }),
    ]);

    const db = t.app.get(DataSource);
    await waitFor('the resources event applied', () => applied(db, resources));
    const segments: { started_at_ms: unknown; ended_at_ms: unknown; quantities: string | null }[] = await db.query(
      "SELECT started_at_ms, ended_at_ms, quantities FROM cloud_billing_instance_segments WHERE instance_id = 'vm-1'",
    );
    const times = (row: { started_at_ms: unknown; ended_at_ms: unknown }) =>
      [row.started_at_ms, row.ended_at_ms].map((ms) => (ms === null ? null : new Date(Number(ms)).toISOString()));
    expect(segments.map((row) => [...times(row), row.quantities]).sort()).toEqual([
      [at('11:00:00').replace('Z', '.000Z'), at('11:20:30').replace('Z', '.000Z'), null],
      [at('11:20:30').replace('Z', '.000Z'), null, '{"backup":"500000","ipv4":"2000000"}'],
    ]);
  });

  it('consumes again when its queue is deleted under it (the broker cancels it; it reconnects and declares it)', async () => {
    await registerInstance(t, 'vm-1', 'alice', 1, at('11:00:00'));
    await broker.recreateQueue();
    const stop = event('vm-1', { type: 'stopped', at: at('11:30:00') });
    await broker.publish(stop);
    await waitFor('the stop applied by the consumer that came back', () => applied(t.app.get(DataSource), stop));
  });

  it('hands a message that failed for a passing reason back to the queue, and applies it once it can', async () => {
    await registerInstance(t, 'vm-1', 'alice', 1, at('11:00:00'));
    const events = t.app.get(LateEventService);
    const applyHostEvent = events.applyHostEvent.bind(events);
    let failures = 0;
    events.applyHostEvent = async (...args) => {
      if (failures++ === 0) throw new Error('connect ECONNREFUSED (the database is down)');
      return applyHostEvent(...args);
    };
    const stop = event('vm-1', { type: 'stopped', at: at('11:30:00') });
    const start = event('vm-1', { type: 'started', at: at('11:40:00') });
    await broker.publish(stop);
    await broker.publish(start);

    const db = t.app.get(DataSource);
    await waitFor(
      'the stop and start applied after the retry',
      async () => (await applied(db, start)) && applied(db, stop),
    );
    // Three calls: the stop, which failed; the stop again after the pause; then the start behind it, in its turn.
    expect(failures).toBe(3);
    expect(await db.query("SELECT state FROM cloud_billing_instances WHERE id = 'vm-1'")).toEqual([
      { state: 'running' },
    ]);
    expect(await broker.deadLetterCount()).toBe(0);
  });

  it("the demo host's publish sends an instance through the queue, which the plugin registers, stops and starts", async () => {
    const { body } = await t.as('admin').post('/demo/amqp/publish', { userId: 'alice', planId: 1 }).expect(200);
    expect(body.queue).toBe(broker.queues.queue);
    expect(body.messages.map((m: { type: string }) => m.type)).toEqual([
      'instance.registered',
      'instance.event',
      'instance.event',
    ]);
    const db = t.app.get(DataSource);
    for (const message of body.messages as Message[]) {
      await waitFor(`${JSON.stringify(message)} applied`, () => applied(db, message));
    }
    const id = body.messages[0].instance.id as string;
    expect(await db.query('SELECT user_id, state FROM cloud_billing_instances WHERE id = ?', [id])).toEqual([
      { user_id: 'alice', state: 'running' },
    ]);
  });
});

describe('the demo host without DEMO_AMQP_URL', () => {
  it('answers 409 to a publish, after checking the body as any route does', async () => {
    const t = await startTestApp();
    try {
      await t.as('admin').post('/demo/amqp/publish', { userId: 'alice', planId: 1 }).expect(409);
      const { body } = await t.as('admin').post('/demo/amqp/publish', { userId: 'alice' }).expect(400);
      expect(body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'planId', rule: 'isInt' })]),
      );
    } finally {
      await t.close();
    }
  });
});
