import { DataSource } from 'typeorm';
import { LateEventService } from '../src/billing/rerating/late-event.service';
import { REFUSAL_HEADERS } from '../src/amqp/amqp.constants';
import { describeWithBroker, RABBITMQ_URL, TestBroker, waitFor } from './support/amqp-broker';
import { createPlan, registerInstance, setClock, topUp } from './support/billing-fixtures';
import { differencesFrom, snapshotBilling } from './support/crash-snapshot';
import { tableDigests } from './support/table-digests';
import { startTestApp, TestApp } from './support/test-app';

const at = (clock: string) => `2026-03-10T${clock}Z`;

type Message =
  | { type: 'instance.registered'; instance: { id: string; userId: string; planId: number; name: string; at: string } }
  | { type: 'instance.event'; instanceId: string; event: { type: string; at: string; planId?: number } };

/** The host's traffic for a few hours: registrations, late events that re-rate billed hours, a resize, an end. */
const TRAFFIC: ({ clock: string } | { message: Message })[] = [
  { message: registration('vm-1', 1, '12:00:00') },
  { clock: '12:30:00' },
  { message: registration('vm-2', 1, '12:20:00') },
  { clock: '15:01:00' },
  { message: event('vm-1', { type: 'stopped', at: at('13:30:00') }) },
  { message: event('vm-2', { type: 'resized', at: at('15:00:30'), planId: 2 }) },
  { message: event('vm-1', { type: 'started', at: at('15:00:45') }) },
  { clock: '18:01:00' },
  { message: event('vm-2', { type: 'terminated', at: at('17:30:00') }) },
  { clock: '19:01:00' },
];

function registration(id: string, planId: number, clock: string): Message {
  return { type: 'instance.registered', instance: { id, userId: 'alice', planId, name: id, at: at(clock) } };
}

function event(instanceId: string, body: { type: string; at: string; planId?: number }): Message {
  return { type: 'instance.event', instanceId, event: body };
}

/** The HTTP call a message stands for. */
function overHttp(t: TestApp, message: Message) {
  return message.type === 'instance.registered'
    ? t.as('admin').post('/host/instances', message.instance).expect(201)
    : t.as('admin').post(`/host/instances/${message.instanceId}/events`, message.event).expect(200);
}

/** Every applied message leaves one event row ("created" for a registration), the same through either path. */
async function applied(db: DataSource, message: Message): Promise<boolean> {
  const [instanceId, type, atIso] =
    message.type === 'instance.registered'
      ? [message.instance.id, 'created', message.instance.at]
      : [message.instanceId, message.event.type, message.event.at];
  const rows = await db.query(
    `SELECT COUNT(*) AS n FROM cloud_billing_instance_events WHERE instance_id = ? AND type = ? AND at_ms = ?`,
    [instanceId, type, Date.parse(atIso)],
  );
  return Number(rows[0].n) === 1;
}

/** Two plans and a funded account: plan ids 1 and 2 on a fresh database. */
async function withCatalog(t: TestApp): Promise<void> {
  await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
  expect(await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0.25' })).toBe(1);
  expect(await createPlan(t, { hourlyPrice: '2.5', monthlyPrice: '1000' })).toBe(2);
  await topUp(t, 'alice', '100', 'pay-1').expect(201);
}

/** What both paths must leave alike: the billing tables, and every event and segment the host's calls made. */
async function everythingBilled(db: DataSource) {
  const snapshot = await snapshotBilling(db);
  const events = await db.query('SELECT instance_id, type, at_ms, plan_id FROM cloud_billing_instance_events');
  const segments = await db.query(
    'SELECT instance_id, plan_id, state, started_at_ms, ended_at_ms FROM cloud_billing_instance_segments',
  );
  const rows = (list: object[]) => list.map((row) => JSON.stringify(Object.values(row).map(String))).sort();
  return { snapshot, events: rows(events), segments: rows(segments) };
}

describeWithBroker('instance events over AMQP')('instance events over AMQP', () => {
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
      expect(kinds.filter((kind) => kind === 'adjustment')).toHaveLength(2);
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
    // Tried twice: failed, then applied after the pause; the start behind it waited its turn.
    expect(failures).toBe(3);
    expect(await db.query("SELECT state FROM cloud_billing_instances WHERE id = 'vm-1'")).toEqual([
      { state: 'running' },
    ]);
    expect(await broker.deadLetterCount()).toBe(0);
  });
});
