import { hourStartOf } from '../../../src/billing/rating';
import type { TestApp } from '../../support/test-app';
import { CATCH_UP_AT, CATCH_UP_HOURS, type BillingFleet } from './billing-fleet';
import { connectNode, type NodeNumber } from './galera';

/** What one node holds after the catch-up, as numbers a test compares with what is due and with the other nodes. */
export interface NodeBilling {
  usageRows: number;
  /** Distinct (instance, hour) pairs among the usage rows: equal to usageRows when no hour is charged twice. */
  chargedInstanceHours: number;
  /** Instances with other than 24 usage rows. */
  instancesNotChargedEachHourOnce: number;
  usageCharges: number;
  chargeEntries: number;
  /** Σ of the `charge` ledger entries: minus usageCharges when every charged hour reached the ledger. */
  ledgerCharges: number;
  /** Accounts whose balance is not the sum of their ledger. */
  unbalancedAccounts: number;
  /** Instances not settled up to the catch-up's hour. */
  instancesBehind: number;
  /** Accounts recorded as failing to settle. */
  settlementFailures: number;
}

/** What every node must hold once `fleet` is settled through the catch-up: each hour once, every balance its ledger. */
export const settledFleet = (fleet: BillingFleet): NodeBilling => ({
  usageRows: fleet.instanceHours,
  chargedInstanceHours: fleet.instanceHours,
  instancesNotChargedEachHourOnce: 0,
  usageCharges: fleet.expectedCharges,
  chargeEntries: fleet.accounts * CATCH_UP_HOURS,
  ledgerCharges: -fleet.expectedCharges,
  unbalancedAccounts: 0,
  instancesBehind: 0,
  settlementFailures: 0,
});

/** Per cloud_billing_* table: "row count / CHECKSUM TABLE": two nodes with the same rows answer the same. */
export type NodeTables = Record<string, string>;

const number = async (connection: Awaited<ReturnType<typeof connectNode>>, sql: string, params: unknown[] = []) => {
  const [rows] = await connection.query(sql, params);
  return Number(Object.values((rows as Record<string, unknown>[])[0])[0] ?? 0);
};

/**
 * Reads `node`'s copy of the database. wsrep_sync_wait=1 makes each read wait until the node has applied every
 * write set committed anywhere in the cluster before it: what lags shows as a difference, not as a race.
 */
export async function nodeBilling(node: NodeNumber, database: string): Promise<NodeBilling> {
  const connection = await connectNode(node, database);
  try {
    await connection.query('SET SESSION wsrep_sync_wait = 1');
    const q = (sql: string, params?: unknown[]) => number(connection, sql, params);
    return {
      usageRows: await q('SELECT COUNT(*) FROM cloud_billing_usage'),
      chargedInstanceHours: await q(
        'SELECT COUNT(*) FROM (SELECT DISTINCT instance_id, hour_start_ms FROM cloud_billing_usage) h',
      ),
      instancesNotChargedEachHourOnce: await q(
        `SELECT COUNT(*) FROM cloud_billing_instances i
         LEFT JOIN (SELECT instance_id, COUNT(*) AS n FROM cloud_billing_usage GROUP BY instance_id) u
           ON u.instance_id = i.id
         WHERE COALESCE(u.n, 0) <> ?`,
        [CATCH_UP_HOURS],
      ),
      usageCharges: await q('SELECT COALESCE(SUM(charge), 0) FROM cloud_billing_usage'),
      chargeEntries: await q("SELECT COUNT(*) FROM cloud_billing_ledger_entries WHERE kind = 'charge'"),
      ledgerCharges: await q("SELECT COALESCE(SUM(amount), 0) FROM cloud_billing_ledger_entries WHERE kind = 'charge'"),
      unbalancedAccounts: await q(
        `SELECT COUNT(*) FROM cloud_billing_accounts a
         LEFT JOIN (SELECT user_id, SUM(amount) AS total FROM cloud_billing_ledger_entries GROUP BY user_id) l
           ON l.user_id = a.user_id
         WHERE a.balance <> COALESCE(l.total, 0)`,
      ),
      instancesBehind: await q('SELECT COUNT(*) FROM cloud_billing_instances WHERE settled_until_ms < ?', [
        hourStartOf(CATCH_UP_AT).getTime(),
      ]),
      settlementFailures: await q('SELECT COUNT(*) FROM cloud_billing_settlement_failures'),
    };
  } finally {
    await connection.end();
  }
}

/** Every plugin table's row count and checksum on `node`, after it has caught up with the cluster. */
export async function nodeTables(node: NodeNumber, database: string): Promise<NodeTables> {
  const connection = await connectNode(node, database);
  try {
    await connection.query('SET SESSION wsrep_sync_wait = 1');
    const [tables] = await connection.query(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND table_name LIKE 'cloud\\_billing\\_%' ORDER BY table_name`,
    );
    const found: NodeTables = {};
    for (const { name } of tables as { name: string }[]) {
      const rows = await number(connection, `SELECT COUNT(*) FROM \`${name}\``);
      const [[checksum]] = (await connection.query(`CHECKSUM TABLE \`${name}\``)) as unknown as [
        { Checksum: string | number }[],
      ];
      found[name] = `${rows} rows / checksum ${checksum.Checksum}`;
    }
    return found;
  } finally {
    await connection.end();
  }
}

/** GET /admin/audit on one replica: its breaches, empty when the audit is clean. */
export async function auditBreaches(t: TestApp): Promise<unknown[]> {
  const { body } = await t.as('admin').get('/admin/audit').expect(200);
  return body.ok ? [] : [`${body.breachCount} breaches`, ...body.breaches.slice(0, 5)];
}
