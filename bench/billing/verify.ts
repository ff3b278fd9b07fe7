import type { Connection } from 'mysql2/promise';
import { HOURLY_PRICE, INITIAL_BALANCE, INSTANCES_PER_ACCOUNT } from './seed';

export interface Expected {
  accounts: number;
  /** Hours settled so far, counting every phase: every instance has this many usage rows. */
  hours: number;
  settledUntilMs: number;
}

export interface Check {
  name: string;
  expected: string;
  actual: string;
  ok: boolean;
}

const one = async (db: Connection, sql: string): Promise<string> => {
  const [rows] = (await db.query(sql)) as [Record<string, unknown>[], unknown];
  return String(Object.values(rows[0])[0] ?? 'NULL');
};

/** What the database must hold once `hours` hours of the seeded fleet are settled, each exactly once. */
export async function verifySettled(db: Connection, expected: Expected): Promise<Check[]> {
  const instances = expected.accounts * INSTANCES_PER_ACCOUNT;
  const perAccountCharge = INSTANCES_PER_ACCOUNT * HOURLY_PRICE * expected.hours;
  const checks: [string, number | bigint, string][] = [
    ['usage rows', instances * expected.hours, 'SELECT COUNT(*) FROM cloud_billing_usage'],
    [
      'distinct instance-hours',
      instances * expected.hours,
      'SELECT COUNT(*) FROM (SELECT DISTINCT instance_id, hour_start_ms FROM cloud_billing_usage) u',
    ],
    [
      'charge ledger entries',
      expected.accounts * expected.hours,
      "SELECT COUNT(*) FROM cloud_billing_ledger_entries WHERE kind = 'charge'",
    ],
    [
      'Σ charges (micro-credits)',
      -BigInt(perAccountCharge) * BigInt(expected.accounts),
      "SELECT SUM(amount) FROM cloud_billing_ledger_entries WHERE kind = 'charge'",
    ],
    [
      'Σ balances (micro-credits)',
      BigInt(INITIAL_BALANCE - perAccountCharge) * BigInt(expected.accounts),
      'SELECT SUM(balance) FROM cloud_billing_accounts',
    ],
    [
      'accounts with a wrong balance',
      0,
      `SELECT COUNT(*) FROM cloud_billing_accounts WHERE balance <> ${INITIAL_BALANCE - perAccountCharge}`,
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
    [
      'monthly rollup hours',
      instances * expected.hours,
      'SELECT COALESCE(SUM(hours), 0) FROM cloud_billing_monthly_usage',
    ],
  ];
  const results: Check[] = [];
  for (const [name, want, sql] of checks) {
    const actual = await one(db, sql);
    results.push({ name, expected: String(want), actual, ok: actual === String(want) });
  }
  return results;
}
