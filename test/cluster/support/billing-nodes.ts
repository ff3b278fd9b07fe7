import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectNode, type NodeNumber } from './galera';

const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'galera-cluster.sh');

/**
 * `restartNode` without blocking: galera.ts's version waits in execFileSync, which would freeze the in-process app
 * replicas (they share the test's event loop) for the whole rejoin, the very time their behaviour is under test.
 */
export async function restartNodeInBackground(node: NodeNumber): Promise<void> {
  await promisify(execFile)('bash', [SCRIPT, 'start-node', String(node)], { timeout: 600_000 });
}

/**
 * Resolves once `node`'s copy of `database` holds at least `rows` usage rows (how far the runs have got), or once
 * `stopped()` says the runs are over; answers the rows it last saw.
 */
export async function usageRowsReach(
  node: NodeNumber,
  database: string,
  rows: number,
  stopped: () => boolean,
): Promise<number> {
  const connection = await connectNode(node, database);
  try {
    for (;;) {
      const [[{ count }]] = (await connection.query(
        'SELECT COUNT(*) AS count FROM cloud_billing_usage',
      )) as unknown as [{ count: number }[]];
      if (Number(count) >= rows || stopped()) return Number(count);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await connection.end();
  }
}
