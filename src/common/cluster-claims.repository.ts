import type { DataSource } from 'typeorm';
import { isMysql } from './database';
import { managerOf, type Tx } from './tx';

const CLAIMS = 'cloud_billing_cluster_claims';

/**
 * Whether the server is one node of a multi-primary cluster, where row locks do not reach the other nodes:
 * MariaDB Galera (`wsrep_on`) or MySQL Group Replication outside single-primary mode. Asked once per data source.
 */
const multiPrimary = new WeakMap<DataSource, Promise<boolean>>();

async function askMultiPrimary(dataSource: DataSource): Promise<boolean> {
  const rows = (await dataSource.query(
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'group_replication_single_primary_mode')",
  )) as { Variable_name: string; Value: string }[];
  const value = (name: string) => rows.find((row) => row.Variable_name === name)?.Value.toUpperCase();
  return value('wsrep_on') === 'ON' || value('group_replication_single_primary_mode') === 'OFF';
}

export function isMultiPrimary(dataSource: DataSource): Promise<boolean> {
  if (!isMysql(dataSource)) return Promise.resolve(false);
  let answer = multiPrimary.get(dataSource);
  if (!answer) {
    answer = askMultiPrimary(dataSource);
    multiPrimary.set(dataSource, answer);
    // A node that could not answer (down, re-forming) is asked again next time, not taken for a single server.
    answer.catch(() => multiPrimary.delete(dataSource));
  }
  return answer;
}

/**
 * Makes a decision taken under row locks hold across the nodes of a multi-primary cluster. There a FOR UPDATE lock
 * binds only the node that takes it: two transactions on two nodes may both read the last free slot and both commit,
 * unless they wrote some row in common — then the cluster certifies the first to commit and rolls the other back
 * with a deadlock error, which common/transactions.ts retries. This writes such a row per key.
 *
 * Call it BEFORE reading what the decision rests on: a write from another node applied after the claim aborts this
 * transaction (the claim row is locked here), and one applied before it is seen by the reads that follow. Keys are
 * written in sorted order so that two claimants on one node queue rather than deadlock. On a single server (or
 * SQLite) the row locks already serialize the decision, and nothing is written.
 */
export async function claimAcrossNodes(tx: Tx, keys: readonly string[]): Promise<void> {
  const manager = managerOf(tx);
  if (keys.length === 0 || !(await isMultiPrimary(manager.connection))) return;
  const sorted = [...new Set(keys)].sort();
  await manager.query(
    `INSERT INTO ${CLAIMS} (claim_key, claims) VALUES ${sorted.map(() => '(?, 1)').join(', ')} ` +
      'ON DUPLICATE KEY UPDATE claims = claims + 1',
    sorted,
  );
}

/** The claim keys, one place, so that every decision on a row claims it under the same name. */
export const claimKey = {
  location: (locationId: number) => `location:${locationId}`,
  account: (userId: string) => `account:${userId}`,
};
