import type { Connection } from 'mysql2/promise';
import { valuesClause } from './database';

/** 0.05 credits an hour, in micro-credits. */
export const HOURLY_PRICE = 50_000;
/** What each account starts with: 1,000 credits. */
export const INITIAL_BALANCE = 1_000_000_000;
export const INSTANCES_PER_ACCOUNT = 2;
const ROWS_PER_INSERT = 2_000;

export interface SeedShape {
  accounts: number;
  /** When the instances were created (and their running segment opened): also where settlement starts. */
  createdAtMs: number;
}

export interface SeededFleet {
  planId: number;
  accounts: number;
  instances: number;
  seedMs: number;
}

export const userIdOf = (n: number) => `bench-u${String(n).padStart(7, '0')}`;
export const instanceIdOf = (n: number) => `bench-i${String(n).padStart(8, '0')}`;

/**
 * One plan group and plan, `accounts` accounts with a top-up each (balance = Σ ledger), and two running
 * instances per account created at `createdAtMs` with their open segment and `created` event, not yet
 * settled. Bulk multi-row INSERTs, one transaction per table.
 */
export async function seedFleet(db: Connection, shape: SeedShape): Promise<SeededFleet> {
  const started = performance.now();
  const createdAt = new Date(shape.createdAtMs);
  await db.query(
    'INSERT INTO cloud_billing_plan_groups (name, slug, description, enabled, sort_order) VALUES (?, ?, NULL, 1, 0)',
    ['Bench', 'bench'],
  );
  const [[group]] = (await db.query('SELECT id FROM cloud_billing_plan_groups WHERE slug = ?', ['bench'])) as [
    { id: number }[],
    unknown,
  ];
  await db.query(
    `INSERT INTO cloud_billing_plans (group_id, name, slug, vcpus, ram_mb, disk_gb, bandwidth_gb, gpus,
       hourly_price, monthly_price, stopped_hourly_price, suspended_hourly_price, enabled, sort_order)
     VALUES (?, 'Bench 1', 'bench-1', 1, 1024, 20, 1000, 0, ?, NULL, NULL, NULL, 1, 0)`,
    [group.id, HOURLY_PRICE],
  );
  const [[plan]] = (await db.query('SELECT id FROM cloud_billing_plans WHERE slug = ?', ['bench-1'])) as [
    { id: number }[],
    unknown,
  ];

  const instances = shape.accounts * INSTANCES_PER_ACCOUNT;
  await bulkInsert(db, 'cloud_billing_accounts (user_id, balance, created_at, updated_at)', shape.accounts, (n) => [
    userIdOf(n),
    INITIAL_BALANCE,
    createdAt,
    createdAt,
  ]);
  await bulkInsert(
    db,
    'cloud_billing_ledger_entries (user_id, kind, amount, balance_after, idempotency_key, note, created_at)',
    shape.accounts,
    (n) => [userIdOf(n), 'topup', INITIAL_BALANCE, INITIAL_BALANCE, `topup:bench-${n}`, 'bench seed', createdAt],
  );
  const userOfInstance = (n: number) => userIdOf(Math.floor(n / INSTANCES_PER_ACCOUNT));
  await bulkInsert(
    db,
    `cloud_billing_instances (id, user_id, name, plan_id, location_id, hypervisor_id, state, created_at_ms,
       terminated_at_ms, last_event_at_ms, settled_until_ms, billing_suspended_at_ms)`,
    instances,
    (n) => [
      instanceIdOf(n),
      userOfInstance(n),
      `bench ${n}`,
      plan.id,
      null,
      null,
      'running',
      shape.createdAtMs,
      null,
      shape.createdAtMs,
      shape.createdAtMs,
      null,
    ],
  );
  await bulkInsert(
    db,
    'cloud_billing_instance_segments (instance_id, plan_id, state, started_at_ms, ended_at_ms)',
    instances,
    (n) => [instanceIdOf(n), plan.id, 'running', shape.createdAtMs, null],
  );
  await bulkInsert(db, 'cloud_billing_instance_events (instance_id, type, at_ms, plan_id)', instances, (n) => [
    instanceIdOf(n),
    'created',
    shape.createdAtMs,
    plan.id,
  ]);
  // Fresh statistics, as a live database would have them, so the plans the benchmark sees are the real ones.
  await db.query(
    'ANALYZE TABLE cloud_billing_accounts, cloud_billing_ledger_entries, cloud_billing_instances, cloud_billing_instance_segments, cloud_billing_instance_events',
  );
  return { planId: plan.id, accounts: shape.accounts, instances, seedMs: performance.now() - started };
}

async function bulkInsert(db: Connection, into: string, count: number, row: (n: number) => unknown[]) {
  await db.beginTransaction();
  for (let start = 0; start < count; start += ROWS_PER_INSERT) {
    const rows: unknown[][] = [];
    for (let n = start; n < Math.min(count, start + ROWS_PER_INSERT); n++) rows.push(row(n));
    const values = valuesClause(rows);
    await db.query(`INSERT INTO ${into} VALUES ${values.sql}`, values.params);
  }
  await db.commit();
}
