import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

/** The three nodes scripts/galera-cluster.sh runs: SQL on 127.0.0.1:3311–3313. */
export const NODES = [1, 2, 3] as const;
export type NodeNumber = (typeof NODES)[number];
const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'galera-cluster.sh');

export const nodeUrl = (node: NodeNumber, database = 'test') => `mysql://root@127.0.0.1:${3310 + node}/${database}`;

function script(...args: string[]): void {
  execFileSync('bash', [SCRIPT, ...args], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
}

/**
 * Starts the cluster (the script is a no-op when it already runs) and answers why it cannot, or undefined when it
 * is up. The cluster tests skip, printing that reason, on a machine where Galera cannot start (no apt, no root).
 */
export function startCluster(): string | undefined {
  try {
    script('start');
    return undefined;
  } catch (error) {
    return `the Galera cluster did not start (${(error as Error).message.split('\n')[0]})`;
  }
}

/** kill -9 of one database node: what a power cut or an OOM kill does to one server of the cluster. */
export const killNode = (node: NodeNumber) => script('kill-node', String(node));
/** Starts a killed node again and waits until it has rejoined and caught up (Synced). */
export const restartNode = (node: NodeNumber) => script('start-node', String(node));

export const connectNode = (node: NodeNumber, database?: string): Promise<Connection> =>
  createConnection({ uri: nodeUrl(node, database), multipleStatements: false });

/** A fresh database for one test, created on node 1 (Galera replicates the DDL), with its URL on each node. */
export async function createClusterDatabase(): Promise<{ name: string; urls: string[]; drop: () => Promise<void> }> {
  const name = `cloud_billing_cluster_${randomBytes(4).toString('hex')}`;
  const admin = await connectNode(1);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  return {
    name,
    urls: NODES.map((node) => nodeUrl(node, name)),
    drop: async () => {
      const connection = await connectNode(1);
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** `describe` that runs only where the cluster could be started; elsewhere it skips, saying why. */
export function describeCluster(name: string, body: () => void): void {
  const reason = startCluster();
  if (reason) {
    console.log(`[cloud-billing] skipped "${name}": ${reason}`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}
