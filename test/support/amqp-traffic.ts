import type { DataSource } from 'typeorm';
import { createPlan, topUp } from './billing-fixtures';
import { snapshotBilling } from './crash-snapshot';
import { SUSPENSION_FEE_RULE, TRAFFIC_COUNTER } from './metering-fixtures';
import type { TestApp } from './test-app';

/** The host's calls as AMQP messages (README, "Events over AMQP"), and what the AMQP tests compare. */
export const at = (clock: string) => `2026-03-10T${clock}Z`;

/** An event's body: `planId` for "resized", `resources` for "resources". */
export interface EventBody {
  type: string;
  at: string;
  planId?: number;
  resources?: Record<string, string | number>;
}

export type Message =
  | { type: 'instance.registered'; instance: { id: string; userId: string; planId: number; name: string; at: string } }
  | { type: 'instance.event'; instanceId: string; event: EventBody }
  | {
      type: 'instance.usage';
      instanceId: string;
      usage: { counter: string; quantity: string; at: string; id: string };
    };

export function registration(id: string, planId: number, clock: string): Message {
  return { type: 'instance.registered', instance: { id, userId: 'alice', planId, name: id, at: at(clock) } };
}

export function event(instanceId: string, body: EventBody): Message {
  return { type: 'instance.event', instanceId, event: body };
}

/** A usage report of outgoing traffic, in GB. */
export function usage(instanceId: string, id: string, quantity: string, clock: string): Message {
  return { type: 'instance.usage', instanceId, usage: { counter: 'traffic-out', quantity, at: at(clock), id } };
}

/** The HTTP call a message stands for. */
export function overHttp(t: TestApp, message: Message) {
  if (message.type === 'instance.registered')
    return t.as('admin').post('/host/instances', message.instance).expect(201);
  if (message.type === 'instance.usage') {
    return t.as('admin').post(`/host/instances/${message.instanceId}/usage`, message.usage).expect(201);
  }
  return t.as('admin').post(`/host/instances/${message.instanceId}/events`, message.event).expect(200);
}

/** Every applied message leaves one event row ("created" for a registration), the same through either path. */
export async function applied(db: DataSource, message: Message): Promise<boolean> {
  if (message.type === 'instance.usage') {
    const rows = await db.query('SELECT COUNT(*) AS n FROM cloud_billing_metered_usage WHERE report_id = ?', [
      message.usage.id,
    ]);
    return Number(rows[0].n) === 1;
  }
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

/**
 * Two plans and a funded account: plan ids 1 and 2 on a fresh database. Plan 1 has a resource rule billed only while
 * running, so a late stop re-rates it too; every plan has the outgoing-traffic counter.
 */
export async function withCatalog(t: TestApp): Promise<void> {
  await t.as('admin').patch('/admin/settings', { suspensionThreshold: '-1000000' }).expect(200);
  expect(await createPlan(t, { hourlyPrice: '1', stoppedHourlyPrice: '0.25' })).toBe(1);
  expect(await createPlan(t, { hourlyPrice: '2.5', monthlyPrice: '1000' })).toBe(2);
  await t
    .as('admin')
    .post('/admin/plans/1/rules', { ...SUSPENSION_FEE_RULE, key: 'backup', price: '0.1', on: ['running'] })
    .expect(201);
  await t.as('admin').post('/admin/counters', TRAFFIC_COUNTER).expect(201);
  await topUp(t, 'alice', '100', 'pay-1').expect(201);
}

/** What both paths must leave alike: the billing tables, and every event and segment the host's calls made. */
export async function everythingBilled(db: DataSource) {
  const snapshot = await snapshotBilling(db);
  const events = await db.query('SELECT instance_id, type, at_ms, plan_id FROM cloud_billing_instance_events');
  const segments = await db.query(
    'SELECT instance_id, plan_id, state, started_at_ms, ended_at_ms FROM cloud_billing_instance_segments',
  );
  const rows = (list: object[]) => list.map((row) => JSON.stringify(Object.values(row).map(String))).sort();
  return { snapshot, events: rows(events), segments: rows(segments) };
}
