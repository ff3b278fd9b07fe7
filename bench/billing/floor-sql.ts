import { HOUR_MS } from '../../src/billing/rating';
import type { BenchDb } from './bench-db';
import { HOURLY_PRICE, INITIAL_BALANCE, INSTANCES_PER_ACCOUNT, instanceIdOf, userIdOf } from './seed';

/** Instance rows per transaction and per multi-row statement: the floor issue 13 sets. */
export const FLOOR_ROWS_PER_STATEMENT = 2_000;

export interface FloorResult {
  instanceHours: number;
  /** Multi-row statements sent (COMMITs not counted). */
  statements: number;
  transactions: number;
}

/**
 * The least any settlement design must write for `hours` hours of the seeded fleet, with no reads at all: per
 * hour one usage row per instance (instance, hour, charge), one ledger row per account and one balance change per
 * account, each as one multi-row statement per 2,000 rows, one transaction per 2,000 instances. Nothing is priced
 * or checked: the charge is the plan's hourly price and the balance after it is known from the seed. It writes
 * the hours from `firstHourMs` on, which must not be settled yet in this database (their unique keys are free).
 */
export async function writeFloor(
  db: BenchDb,
  fleet: { accounts: number; hours: number; planId: number },
  firstHourMs: number,
): Promise<FloorResult> {
  const result: FloorResult = { instanceHours: 0, statements: 0, transactions: 0 };
  const instances = fleet.accounts * INSTANCES_PER_ACCOUNT;
  const createdAt = new Date(firstHourMs);
  for (let hour = 0; hour < fleet.hours; hour++) {
    const hourMs = firstHourMs + hour * HOUR_MS;
    const { monthKey, dayKey } = utcKeys(hourMs);
    for (let first = 0; first < instances; first += FLOOR_ROWS_PER_STATEMENT) {
      const last = Math.min(instances, first + FLOOR_ROWS_PER_STATEMENT);
      const ids = range(first, last);
      const users = range(first / INSTANCES_PER_ACCOUNT, Math.ceil(last / INSTANCES_PER_ACCOUNT));
      const charge = HOURLY_PRICE * INSTANCES_PER_ACCOUNT;
      // What the account holds after this floor hour: the seed's top-up less the floor's own charges so far.
      const balanceAfter = INITIAL_BALANCE - charge * (hour + 1);
      await db.begin();
      try {
        await db.run(
          `INSERT INTO cloud_billing_usage (instance_id, user_id, plan_id, hour_start_ms, period_start_ms, month_key,
             day_key, running_seconds, stopped_seconds, suspended_seconds, billed_seconds, running_rate, stopped_rate,
             suspended_rate, upfront_charge, charge, capped, revision, superseded)
           VALUES ${ids.map(() => `(?, ?, ${fleet.planId}, ?, ?, ?, ?, 3600, 0, 0, 3600, ${HOURLY_PRICE}, 0, 0, 0, ${HOURLY_PRICE}, 0, 0, 0)`).join(', ')}`,
          ids.flatMap((n) => [
            instanceIdOf(n),
            userIdOf(Math.floor(n / INSTANCES_PER_ACCOUNT)),
            hourMs,
            hourMs,
            monthKey,
            dayKey,
          ]),
        );
        await db.run(
          `INSERT INTO cloud_billing_ledger_entries (user_id, kind, amount, balance_after, idempotency_key, note,
             hour_start_ms, created_at)
           VALUES ${users.map(() => `(?, 'charge', ${-charge}, ${balanceAfter}, ?, 'floor', ?, ?)`).join(', ')}`,
          users.flatMap((n) => [userIdOf(n), `floor:${userIdOf(n)}:${hourMs}`, hourMs, createdAt]),
        );
        await db.run(
          `INSERT INTO cloud_billing_accounts (user_id, balance, created_at, updated_at)
           VALUES ${users.map(() => `(?, ${-charge}, ?, ?)`).join(', ')}
           ${
             db.engine === 'mariadb'
               ? 'ON DUPLICATE KEY UPDATE balance = balance + VALUES(balance), updated_at = VALUES(updated_at)'
               : 'ON CONFLICT (user_id) DO UPDATE SET balance = balance + excluded.balance, updated_at = excluded.updated_at'
           }`,
          users.flatMap((n) => [userIdOf(n), createdAt, createdAt]),
        );
        await db.commit();
      } catch (error) {
        await db.rollback();
        throw error;
      }
      result.statements += 3;
      result.transactions += 1;
      result.instanceHours += ids.length;
    }
  }
  return result;
}

/** The rows the floor wrote, counted back: what its check compares with the fleet's size. */
export async function floorRowCounts(db: BenchDb, firstHourMs: number): Promise<{ usage: number; ledger: number }> {
  const [usage] = await db.rows<{ n: number }>(
    'SELECT COUNT(*) AS n FROM cloud_billing_usage WHERE hour_start_ms >= ?',
    [firstHourMs],
  );
  const [ledger] = await db.rows<{ n: number }>(
    "SELECT COUNT(*) AS n FROM cloud_billing_ledger_entries WHERE note = 'floor'",
  );
  return { usage: Number(usage.n), ledger: Number(ledger.n) };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The bench's zone is UTC (the seeded settings): the hour's month and day keys. */
function utcKeys(hourMs: number): { monthKey: string; dayKey: string } {
  const iso = new Date(hourMs).toISOString();
  return { monthKey: iso.slice(0, 7), dayKey: iso.slice(0, 10) };
}
