import type request from 'supertest';
import { createPlan, registerInstance, sendEvent, stopTheWorldAt } from './billing-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** Atomia's outgoing traffic, a counter for every plan: the first 1,000 GB included, then 0.01 a GB, from 10,000 GB 0.008. */
export const TRAFFIC_COUNTER = {
  key: 'traffic-out',
  name: 'Outgoing traffic',
  unitName: 'GB',
  measurementUnit: '1',
  ranges: [
    { from: '0', price: '0' },
    { from: '1000', price: '0.01' },
    { from: '10000', price: '0.008' },
  ],
};

/** 0.40 per million disk reads. */
export const DISK_READS_COUNTER = {
  key: 'disk-read-requests',
  name: 'Disk read requests',
  unitName: 'requests',
  measurementUnit: '1000000',
  ranges: [{ from: '0', price: '0.4' }],
};

/** 3 credits per IPv4 address every 30 days, one per instance, in every state but terminated (postpaid). */
export const IPV4_ADDRESS_RULE = {
  key: 'ipv4',
  name: 'IPv4 address',
  unit: 'address',
  price: '3',
  periodSeconds: 30 * 86_400,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['terminated'],
  except: true,
};

/** 0.01 an hour while suspended. */
export const SUSPENSION_FEE_RULE = {
  key: 'suspension-fee',
  name: 'Suspension fee',
  unit: 'instance',
  price: '0.01',
  periodSeconds: 3_600,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['suspended'],
};

/** NoCloud's example: 10 per IPv4 address every 30 days, one per instance, in every state but terminated. */
export const IPV4_RULE = {
  key: 'ipv4',
  name: 'IPv4 address',
  unit: 'address',
  price: '10',
  periodSeconds: 30 * 86_400,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['terminated'],
  except: true,
};

/** A backup at 0.72 per 30 days, paid in advance, only while the instance runs or is stopped. */
export const BACKUP_RULE = {
  key: 'backup',
  name: 'Backup',
  unit: 'backup',
  price: '0.72',
  periodSeconds: 30 * 86_400,
  kind: 'prepaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['running', 'stopped'],
  except: false,
};

/**
 * A plan at 0.01 an hour (nothing while suspended) with the IPv4 and suspension-fee rules, and the traffic and
 * disk-read counters, which apply to every plan; returns the plan id.
 */
export async function createMeteredPlan(t: TestApp): Promise<number> {
  const planId = await createPlan(t, { hourlyPrice: '0.01', suspendedHourlyPrice: '0' });
  for (const rule of [IPV4_ADDRESS_RULE, SUSPENSION_FEE_RULE]) {
    await t.as('admin').post(`/admin/plans/${planId}/rules`, rule).expect(201);
  }
  for (const counter of [TRAFFIC_COUNTER, DISK_READS_COUNTER]) {
    await t.as('admin').post('/admin/counters', counter).expect(201);
  }
  return planId;
}

let reports = 0;

/** The host reports usage at `at`, the clock standing there (so the report is on time unless its hour was settled). */
export function reportUsage(
  t: TestApp,
  instanceId: string,
  counter: string,
  quantity: string,
  at: string,
): request.Test {
  stopTheWorldAt(t, at);
  return t.as('admin').post(`/host/instances/${instanceId}/usage`, { counter, quantity, at, id: `r-${++reports}` });
}

const april = (day: string, clock: string) => `2026-04-${day}T${clock}Z`;

/** What meteredApril leaves behind to check. */
export interface MeteredApril {
  planId: number;
  /** The answer to the report dated in an hour already settled. */
  lateReport: { late: boolean };
  /** What the run at the end of the month did. */
  lastRun: { lateUsageReports: number };
}

/**
 * Issue 11's hand-computed month for `userId` (who needs credit and a billing zone of UTC, a late event window of
 * 72 hours, a suspension threshold low enough): vm-1 on the metered plan through April, suspended 10.5 hours on the
 * 10th, 4,000,000 disk reads (1,500,000 of them reported late) and 1,800 GB of traffic (crossing into the priced
 * range inside the 13:00 hour of the 15th); settled up to May 1st, 00:00.
 *
 * Instance 7.095 (709.5 running hours at 0.01), IPv4 3, suspension fee 0.105, traffic 8 (800 GB at 0.01), disk
 * reads 1.6 (0.6 of it the late report): 19.8 in all.
 */
export async function meteredApril(t: TestApp, userId: string, instanceId = 'vm-1'): Promise<MeteredApril> {
  const run = async () => (await t.as('admin').post('/admin/billing/run').expect(200)).body;
  stopTheWorldAt(t, april('01', '00:00:00'));
  const planId = await createMeteredPlan(t);
  await registerInstance(t, instanceId, userId, planId, april('01', '00:00:00'));
  await reportUsage(t, instanceId, 'disk-read-requests', '2500000', april('02', '09:00:00')).expect(201);
  stopTheWorldAt(t, april('04', '12:00:00'));
  await run();
  const late = await reportUsage(t, instanceId, 'disk-read-requests', '1500000', april('03', '11:00:00')).expect(201);
  await reportUsage(t, instanceId, 'traffic-out', '600', april('05', '10:15:00')).expect(201);
  stopTheWorldAt(t, april('10', '00:00:00'));
  await sendEvent(t, instanceId, 'suspended', april('10', '00:00:00')).expect(200);
  stopTheWorldAt(t, april('10', '10:30:00'));
  await sendEvent(t, instanceId, 'resumed', april('10', '10:30:00')).expect(200);
  await reportUsage(t, instanceId, 'traffic-out', '500', april('15', '13:20:00')).expect(201);
  await reportUsage(t, instanceId, 'traffic-out', '700', april('20', '08:00:00')).expect(201);
  stopTheWorldAt(t, '2026-05-01T00:00:00Z');
  return { planId, lateReport: late.body, lastRun: await run() };
}

/** An app billing in UTC, suspending no one for a low balance, taking host reports up to a day late. */
export async function startMeteredApp(): Promise<TestApp> {
  const t = await startTestApp();
  await t
    .as('admin')
    .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lateEventWindowHours: 24 })
    .expect(200);
  return t;
}
