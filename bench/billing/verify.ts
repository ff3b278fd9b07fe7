import { parseCredits } from '../../src/common/money';
import type { BenchDb } from './bench-db';
import { BENCH_COUNTERS, BENCH_RULES, HOURLY_PRICE, INITIAL_BALANCE, INSTANCES_PER_ACCOUNT } from './seed';

export interface Expected {
  accounts: number;
  /** Hours settled: every instance has this many usage rows and reported each counter once in each. */
  hours: number;
  settledUntilMs: number;
}

export interface Check {
  name: string;
  expected: string;
  actual: string;
  ok: boolean;
}

const one = async (db: BenchDb, sql: string): Promise<string> => {
  const [row] = await db.rows(sql);
  return String(Object.values(row)[0] ?? 'NULL');
};

async function run(db: BenchDb, checks: [string, number | bigint | string, string][]): Promise<Check[]> {
  const results: Check[] = [];
  for (const [name, want, sql] of checks) {
    const actual = await one(db, sql);
    results.push({ name, expected: String(want), actual, ok: actual === String(want) });
  }
  return results;
}

const sum = (sql: string) => `SELECT COALESCE(SUM(${sql}), 0)`;
const postpaidRules = BENCH_RULES.filter((rule) => rule.kind === 'postpaid').length;
const prepaidRules = BENCH_RULES.length - postpaidRules;

/**
 * What one database must hold once `hours` hours of the seeded fleet are settled, each exactly once: the instance
 * hours at the plan's price, a rule usage row per instance, hour and postpaid rule and one per prepaid rule (its
 * period is paid in the first hour), every report billed, and every rollup and the ledger adding up to the rows.
 */
export async function verifySettled(db: BenchDb, expected: Expected): Promise<Check[]> {
  const instances = expected.accounts * INSTANCES_PER_ACCOUNT;
  const instanceHours = instances * expected.hours;
  const ruleCharges = sum('charge') + ' FROM cloud_billing_rule_usage';
  const reportCharges = sum('charge') + ' FROM cloud_billing_metered_usage';
  const usageCharges = sum('charge') + ' FROM cloud_billing_usage';
  const [usage, rules, reports] = [
    await one(db, usageCharges),
    await one(db, ruleCharges),
    await one(db, reportCharges),
  ];
  const all = BigInt(usage) + BigInt(rules) + BigInt(reports);
  const licence = BENCH_RULES.find((rule) => rule.kind === 'prepaid') as (typeof BENCH_RULES)[number];
  return run(db, [
    ['usage rows', instanceHours, 'SELECT COUNT(*) FROM cloud_billing_usage'],
    [
      'distinct instance-hours',
      instanceHours,
      'SELECT COUNT(*) FROM (SELECT DISTINCT instance_id, hour_start_ms FROM cloud_billing_usage) u',
    ],
    ['Σ instance charges (micro-credits)', BigInt(instanceHours) * BigInt(HOURLY_PRICE), usageCharges],
    ['monthly rollup hours', instanceHours, sum('hours') + ' FROM cloud_billing_monthly_usage'],
    [
      'rule usage rows',
      instanceHours * postpaidRules + instances * prepaidRules,
      'SELECT COUNT(*) FROM cloud_billing_rule_usage',
    ],
    [
      'Σ prepaid charges: one 30-day period each',
      BigInt(instances) * BigInt(parseCredits(licence.price)),
      sum('charge') + ` FROM cloud_billing_rule_usage WHERE prepaid_period_start_ms IS NOT NULL`,
    ],
    [
      'reports billed',
      instanceHours * BENCH_COUNTERS.length,
      'SELECT COUNT(*) FROM cloud_billing_metered_usage WHERE billed_at_ms IS NOT NULL AND charge IS NOT NULL',
    ],
    [
      'traffic reports charged past the allowance',
      'yes',
      `SELECT CASE WHEN COUNT(*) > 0 THEN 'yes' ELSE 'no' END FROM cloud_billing_metered_usage u
       JOIN cloud_billing_metered_counters c ON c.id = u.counter_id WHERE c.counter_key = 'traffic-out' AND u.charge > 0`,
    ],
    ['Σ rule charges in the months', rules, sum('charge') + " FROM cloud_billing_metered_monthly WHERE item = 'rule'"],
    [
      'Σ report charges in the months',
      reports,
      sum('charge') + " FROM cloud_billing_metered_monthly WHERE item = 'counter'",
    ],
    ['Σ daily rollups', all, sum('charge') + ' FROM cloud_billing_daily_usage'],
    ['Σ daily rule charges', rules, sum('rule_charge') + ' FROM cloud_billing_daily_usage'],
    ['Σ daily counter charges', reports, sum('counter_charge') + ' FROM cloud_billing_daily_usage'],
    [
      'charge ledger entries',
      expected.accounts * expected.hours,
      "SELECT COUNT(*) FROM cloud_billing_ledger_entries WHERE kind = 'charge'",
    ],
    ['Σ ledger charges = Σ rows', -all, sum('amount') + " FROM cloud_billing_ledger_entries WHERE kind = 'charge'"],
    [
      'Σ balances (micro-credits)',
      BigInt(INITIAL_BALANCE) * BigInt(expected.accounts) - all,
      sum('balance') + ' FROM cloud_billing_accounts',
    ],
    [
      'accounts where balance ≠ Σ ledger',
      0,
      `SELECT COUNT(*) FROM cloud_billing_accounts a
       LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM cloud_billing_ledger_entries GROUP BY user_id) l
         ON l.user_id = a.user_id
       WHERE l.total IS NULL OR a.balance <> l.total`,
    ],
    [
      'instances not settled to the end',
      0,
      `SELECT COUNT(*) FROM cloud_billing_instances WHERE settled_until_ms <> ${expected.settledUntilMs}`,
    ],
  ]);
}

/**
 * The rows settlement writes, minus ids and wall-clock times (when a report was billed, when an entry was made):
 * what must be identical whichever way the same hours were settled.
 */
const COMPARED: Record<string, string> = {
  cloud_billing_usage:
    'instance_id, user_id, plan_id, hour_start_ms, period_start_ms, month_key, day_key, running_seconds, ' +
    'stopped_seconds, suspended_seconds, billed_seconds, running_rate, stopped_rate, suspended_rate, upfront_charge, ' +
    'charge, capped, revision, superseded',
  cloud_billing_monthly_usage: 'instance_id, plan_id, month_key, user_id, hours, billed_seconds, charge, hourly_rate',
  cloud_billing_daily_usage: 'user_id, day_key, billed_seconds, charge, rule_charge, counter_charge',
  cloud_billing_rule_usage:
    'instance_id, user_id, rule_id, plan_id, hour_start_ms, period_start_ms, month_key, day_key, quantity_seconds, ' +
    'charged_quantity, prepaid_period_start_ms, paid_quantity, price, period_seconds, charge, revision, superseded',
  cloud_billing_metered_monthly: 'instance_id, item, item_id, month_key, user_id, quantity, charge',
  cloud_billing_metered_usage:
    'id, report_id, quantity, late, charge, month_key, day_key, CASE WHEN billed_at_ms IS NULL THEN 0 ELSE 1 END',
  cloud_billing_ledger_entries:
    'user_id, kind, amount, balance_after, idempotency_key, note, hour_start_ms, instance_id, currency_code',
  cloud_billing_accounts: 'user_id, balance, CASE WHEN evaluation_due_at_ms IS NULL THEN 0 ELSE 1 END',
  cloud_billing_instances: 'id, settled_until_ms, state',
};

/**
 * Both ways of settling the same hours from the same seed wrote the same rows: each table's rows, as COMPARED,
 * have the same count in both databases and none is in one and not the other. `other` names the other database
 * as this connection reaches it (a MariaDB schema on the same server, or an attached SQLite file).
 */
export async function verifySame(db: BenchDb, other: string, otherName: string): Promise<Check[]> {
  const checks: [string, number | string, string][] = [];
  for (const [table, columns] of Object.entries(COMPARED)) {
    const theirs = await one(db, `SELECT COUNT(*) FROM ${other}.${table}`);
    checks.push([`${table}: rows, as ${otherName}`, theirs, `SELECT COUNT(*) FROM ${table}`]);
    const missing = (a: string, b: string) =>
      `SELECT COUNT(*) FROM (SELECT ${columns} FROM ${a} EXCEPT SELECT ${columns} FROM ${b}) d`;
    checks.push([`${table}: rows not in ${otherName}`, 0, missing(table, `${other}.${table}`)]);
    checks.push([`${table}: rows only in ${otherName}`, 0, missing(`${other}.${table}`, table)]);
  }
  return run(db, checks);
}
