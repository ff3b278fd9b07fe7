import { parseCredits } from '../../src/common/money';
import { parseQuantity } from '../../src/common/quantities';
import { HOUR_MS } from '../../src/billing/rating';
import type { BenchDb } from './bench-db';
import { valuesClause } from './database';

/** 0.05 credits an hour, in micro-credits. */
export const HOURLY_PRICE = 50_000;
/** What each account starts with: 1,000 credits. */
export const INITIAL_BALANCE = 1_000_000_000;
export const INSTANCES_PER_ACCOUNT = 2;
const ROWS_PER_INSERT = 2_000;
const DAY_S = 86_400;
const MONTH_S = 30 * DAY_S;

/**
 * The plan's resource rules (NoCloud), each with a fixed quantity per instance: two postpaid rules that make a
 * rule usage row every instance-hour, and a prepaid one that charges its 30-day period in the instance's first hour.
 */
export const BENCH_RULES = [
  // 10 credits per address per 30 days, in every state but terminated.
  {
    key: 'ipv4',
    unit: 'address',
    price: '10',
    periodSeconds: MONTH_S,
    kind: 'postpaid',
    fixed: '1',
    on: 'terminated',
    except: true,
  },
  // 0.05 credits per GB per 30 days, only while running or stopped.
  {
    key: 'backup',
    unit: 'GB',
    price: '0.05',
    periodSeconds: MONTH_S,
    kind: 'postpaid',
    fixed: '20',
    on: 'running,stopped',
    except: false,
  },
  // 15 credits per 30 days, paid in advance.
  {
    key: 'licence',
    unit: 'licence',
    price: '15',
    periodSeconds: MONTH_S,
    kind: 'prepaid',
    fixed: '1',
    on: 'terminated',
    except: true,
  },
] as const;

/**
 * Two metered counters (Atomia), each instance reporting each of them once an hour: outgoing traffic with an
 * allowance of 50 GB a month and two dearer ranges (most instances cross the first inside their first hours,
 * many the second in the catch-up), and disk read requests at one price per million.
 */
export const BENCH_COUNTERS = [
  {
    key: 'traffic-out',
    unitName: 'GB',
    measurementUnit: '1',
    ranges: [
      ['0', '0'],
      ['50', '0.01'],
      ['1000', '0.008'],
    ],
    allPlans: true,
  },
  {
    key: 'disk-read-requests',
    unitName: 'request',
    measurementUnit: '1000000',
    ranges: [['0', '0.02']],
    allPlans: false,
  },
] as const;

/** What instance `n` reports in hour `h` (from the instance's creation): 5–95 GB out, 0.1–5.1 million reads. */
const reported = (n: number, h: number): [number, number] => [
  scaled(5.25 + ((n * 37 + h * 11) % 91)),
  scaled(100_000 + ((n * 7_919 + h * 104_729) % 5_000_000)),
];

/** A decimal as the scaled integer a BIGINT column holds. */
const scaled = (value: string | number) => Number(parseQuantity(value));

export interface SeedShape {
  accounts: number;
  /** When the instances were created (and their running segment opened): also where settlement starts. */
  createdAtMs: number;
  /** Hours from createdAtMs with usage reports: the hours the benchmark settles. */
  hours: number;
}

export interface SeededFleet {
  planId: number;
  accounts: number;
  instances: number;
  usageReports: number;
  seedMs: number;
}

export const userIdOf = (n: number) => `bench-u${String(n).padStart(7, '0')}`;
export const instanceIdOf = (n: number) => `bench-i${String(n).padStart(8, '0')}`;

/**
 * One plan group and plan with the rules and counters above, `accounts` accounts with a top-up each (balance =
 * Σ ledger), two running instances per account created at `createdAtMs` with their open segment and `created`
 * event, not yet settled, and each instance's usage reports of the hours to settle (unbilled, on time). Bulk
 * multi-row INSERTs, one transaction per table.
 */
export async function seedFleet(db: BenchDb, shape: SeedShape): Promise<SeededFleet> {
  const started = performance.now();
  const createdAt = new Date(shape.createdAtMs);
  await db.run(
    'INSERT INTO cloud_billing_plan_groups (name, slug, description, enabled, sort_order) VALUES (?, ?, NULL, 1, 0)',
    ['Bench', 'bench'],
  );
  const [group] = await db.rows<{ id: number }>('SELECT id FROM cloud_billing_plan_groups WHERE slug = ?', ['bench']);
  await db.run(
    `INSERT INTO cloud_billing_plans (group_id, name, slug, vcpus, ram_mb, disk_gb, bandwidth_gb, gpus,
       hourly_price, monthly_price, stopped_hourly_price, suspended_hourly_price, enabled, sort_order)
     VALUES (?, 'Bench 1', 'bench-1', 1, 1024, 20, 1000, 0, ?, NULL, NULL, NULL, 1, 0)`,
    [group.id, HOURLY_PRICE],
  );
  const [plan] = await db.rows<{ id: number }>('SELECT id FROM cloud_billing_plans WHERE slug = ?', ['bench-1']);
  const counterIds = await seedMetering(db, plan.id, shape.createdAtMs - DAY_S * 1000);

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
  // Hour by hour, instance by instance, counter by counter: the order the host would have sent them in.
  const perHour = instances * counterIds.length;
  const usageReports = perHour * shape.hours;
  await bulkInsert(
    db,
    `cloud_billing_metered_usage (report_id, instance_id, user_id, counter_id, at_ms, hour_start_ms, quantity, reading,
       received_at_ms, billed_at_ms, charge, late, month_key, day_key)`,
    usageReports,
    (i) => {
      const h = Math.floor(i / perHour);
      const n = Math.floor((i % perHour) / counterIds.length);
      const c = i % counterIds.length;
      const hourStartMs = shape.createdAtMs + h * HOUR_MS;
      const atMs = hourStartMs + ((n * 13 + c * 600) % 3_600) * 1_000;
      const quantity = reported(n, h)[c];
      const reportId = `bench:${instanceIdOf(n)}:${BENCH_COUNTERS[c].key}:${h}`;
      const [instance, user] = [instanceIdOf(n), userOfInstance(n)];
      return [
        reportId,
        instance,
        user,
        counterIds[c],
        atMs,
        hourStartMs,
        quantity,
        null,
        atMs,
        null,
        null,
        0,
        null,
        null,
      ];
    },
  );
  // Fresh statistics, as a live database would have them, so the plans the benchmark sees are the real ones.
  await db.run(
    db.engine === 'mariadb'
      ? `ANALYZE TABLE cloud_billing_accounts, cloud_billing_ledger_entries, cloud_billing_instances,
           cloud_billing_instance_segments, cloud_billing_instance_events, cloud_billing_metered_usage`
      : 'ANALYZE',
  );
  return { planId: plan.id, accounts: shape.accounts, instances, usageReports, seedMs: performance.now() - started };
}

/** The rules and counters, created (live) at `createdAtMs`; the counters' ids in BENCH_COUNTERS' order. */
async function seedMetering(db: BenchDb, planId: number, createdAtMs: number): Promise<number[]> {
  const rules = valuesClause(
    BENCH_RULES.map((r) => [
      planId,
      r.key,
      r.key,
      r.unit,
      parseCredits(r.price),
      r.periodSeconds,
      r.kind,
      'fixed',
      scaled(r.fixed),
      r.on,
      r.except,
      createdAtMs,
      null,
      1,
    ]),
  );
  await db.run(
    `INSERT INTO cloud_billing_resource_rules (plan_id, rule_key, name, unit, price, period_seconds, kind,
       quantity_source, fixed_quantity, on_states, except_states, created_at_ms, retired_at_ms, live_marker)
     VALUES ${rules.sql}`,
    rules.params,
  );
  const counterIds: number[] = [];
  for (const counter of BENCH_COUNTERS) {
    await db.run(
      `INSERT INTO cloud_billing_metered_counters (counter_key, name, unit_name, measurement_unit, all_plans,
         created_at_ms, retired_at_ms, live_marker) VALUES (?, ?, ?, ?, ?, ?, NULL, 1)`,
      [counter.key, counter.key, counter.unitName, scaled(counter.measurementUnit), counter.allPlans, createdAtMs],
    );
    const [{ id }] = await db.rows<{ id: number }>(
      'SELECT id FROM cloud_billing_metered_counters WHERE counter_key = ?',
      [counter.key],
    );
    counterIds.push(Number(id));
    const ranges = valuesClause(counter.ranges.map(([from, price], i) => [id, i, scaled(from), parseCredits(price)]));
    await db.run(
      `INSERT INTO cloud_billing_counter_ranges (counter_id, position, range_from, price) VALUES ${ranges.sql}`,
      ranges.params,
    );
    if (!counter.allPlans) {
      await db.run('INSERT INTO cloud_billing_counter_plans (counter_id, plan_id) VALUES (?, ?)', [id, planId]);
    }
  }
  return counterIds;
}

async function bulkInsert(db: BenchDb, into: string, count: number, row: (n: number) => unknown[]) {
  await db.begin();
  for (let start = 0; start < count; start += ROWS_PER_INSERT) {
    const rows: unknown[][] = [];
    for (let n = start; n < Math.min(count, start + ROWS_PER_INSERT); n++) rows.push(row(n));
    const values = valuesClause(rows);
    await db.run(`INSERT INTO ${into} VALUES ${values.sql}`, values.params);
  }
  await db.commit();
}
