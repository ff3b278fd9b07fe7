import type { Connection } from 'mysql2/promise';
import { HOUR_MS } from '../../../src/billing/rating';
import { parseCredits } from '../../../src/common/money';
import { createPlan } from '../../support/billing-fixtures';
import { TEST_CLOCK_START, type TestApp } from '../../support/test-app';

/*
 * The cluster billing suite's fleet: thousands of accounts with two running instances each, created at
 * TEST_CLOCK_START and settled up to there, then 24 hours that nobody billed. Written by multi-row INSERTs
 * (as bench/billing/seed.ts does): 10,000 instances through the API would take longer than the billing run.
 */

export const INSTANCES_PER_ACCOUNT = 2;
export const CATCH_UP_HOURS = 24;
/** The run that catches up: a minute past the hour, as the hourly job runs, 24 hours after the fleet's creation. */
export const CATCH_UP_AT = new Date(TEST_CLOCK_START.getTime() + CATCH_UP_HOURS * HOUR_MS + 60_000);
/** Instance 0 of an account is on the first plan, instance 1 on the second. */
const HOURLY_PRICES = ['0.05', '0.12'];
/** What each account starts with: far above every threshold after 24 hours, so no email or suspension interferes. */
const OPENING_BALANCE = parseCredits('1000');
const ROWS_PER_INSERT = 2_000;

export interface BillingFleet {
  accounts: number;
  instances: number;
  /** instances × hours: what the catch-up must settle, each exactly once. */
  instanceHours: number;
  /** Σ of every usage row's charge after the catch-up, in micro-credits. */
  expectedCharges: number;
}

export const fleetUserId = (n: number) => `cl-u${String(n).padStart(6, '0')}`;
const instanceId = (n: number, i: number) => `${fleetUserId(n)}-vm${i}`;

/**
 * The plans through the API of `t` (an app on the cluster database, migrations done), then the accounts with
 * their opening top-up, the instances with their open segment and `created` event through `connection` (any
 * node), one transaction per table.
 */
export async function seedBillingFleet(t: TestApp, connection: Connection, accounts: number): Promise<BillingFleet> {
  await t.as('admin').patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000' }).expect(200);
  const planIds: number[] = [];
  for (const hourlyPrice of HOURLY_PRICES) planIds.push(await createPlan(t, { hourlyPrice }));
  const createdAtMs = TEST_CLOCK_START.getTime();
  const createdAt = TEST_CLOCK_START;
  const instances = accounts * INSTANCES_PER_ACCOUNT;
  const accountOf = (k: number) => Math.floor(k / INSTANCES_PER_ACCOUNT);
  const planOf = (k: number) => planIds[k % INSTANCES_PER_ACCOUNT];
  const idOf = (k: number) => instanceId(accountOf(k), k % INSTANCES_PER_ACCOUNT);

  await bulkInsert(connection, 'cloud_billing_accounts (user_id, balance, created_at, updated_at)', accounts, (n) => [
    fleetUserId(n),
    OPENING_BALANCE,
    createdAt,
    createdAt,
  ]);
  await bulkInsert(
    connection,
    'cloud_billing_ledger_entries (user_id, kind, amount, balance_after, idempotency_key, note, created_at)',
    accounts,
    (n) => [fleetUserId(n), 'topup', OPENING_BALANCE, OPENING_BALANCE, `topup:cl-${n}`, 'cluster seed', createdAt],
  );
  await bulkInsert(
    connection,
    `cloud_billing_instances (id, user_id, name, plan_id, location_id, hypervisor_id, state, created_at_ms,
       terminated_at_ms, last_event_at_ms, settled_until_ms, billing_suspended_at_ms)`,
    instances,
    (k) => [
      ...[idOf(k), fleetUserId(accountOf(k)), idOf(k), planOf(k), null, null, 'running'],
      ...[createdAtMs, null, createdAtMs, createdAtMs, null],
    ],
  );
  await bulkInsert(
    connection,
    'cloud_billing_instance_segments (instance_id, plan_id, state, started_at_ms, ended_at_ms)',
    instances,
    (k) => [idOf(k), planOf(k), 'running', createdAtMs, null],
  );
  await bulkInsert(connection, 'cloud_billing_instance_events (instance_id, type, at_ms, plan_id)', instances, (k) => [
    idOf(k),
    'created',
    createdAtMs,
    planOf(k),
  ]);
  const perAccountHour = HOURLY_PRICES.reduce((sum, price) => sum + parseCredits(price), 0);
  return {
    accounts,
    instances,
    instanceHours: instances * CATCH_UP_HOURS,
    expectedCharges: accounts * perAccountHour * CATCH_UP_HOURS,
  };
}

async function bulkInsert(connection: Connection, into: string, count: number, row: (n: number) => unknown[]) {
  await connection.beginTransaction();
  for (let start = 0; start < count; start += ROWS_PER_INSERT) {
    const rows: unknown[][] = [];
    for (let n = start; n < Math.min(count, start + ROWS_PER_INSERT); n++) rows.push(row(n));
    const tuple = `(${rows[0].map(() => '?').join(', ')})`;
    await connection.query(`INSERT INTO ${into} VALUES ${rows.map(() => tuple).join(', ')}`, rows.flat());
  }
  await connection.commit();
}
