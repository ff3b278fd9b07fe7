import type { Connection } from 'mysql2/promise';
import { startTestApp, type TestApp, type TestAppOptions } from '../../support/test-app';
import { connectNode, createClusterDatabase, NODES, type NodeNumber } from './galera';

/**
 * Three app replicas on one fresh cluster database, replica i connected to node i+1, as a load balancer in front of
 * three panel servers would spread them. Used by the placement and top-up cluster specs.
 */
export interface ClusterReplicas {
  apps: TestApp[];
  /** The database's name, for check connections (`checkNode`). */
  databaseName: string;
  close(): Promise<void>;
}

export async function startClusterReplicas(
  options: Omit<TestAppOptions, 'databaseUrl'> = {},
): Promise<ClusterReplicas> {
  const database = await createClusterDatabase();
  const apps: TestApp[] = [];
  try {
    // The first app runs the migrations; the others must see them applied, or they would run them again.
    apps.push(await startTestApp({ ...options, databaseUrl: database.urls[0] }));
    for (const [i, url] of database.urls.entries()) {
      if (i === 0) continue;
      await withCheckConnection(NODES[i], database.name, (connection) => connection.query('SELECT 1 FROM migrations'));
      apps.push(await startTestApp({ ...options, databaseUrl: url }));
    }
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    await database.drop();
    throw error;
  }
  return {
    apps,
    databaseName: database.name,
    close: async () => {
      await Promise.all(apps.map((app) => app.close()));
      await database.drop();
    },
  };
}

/**
 * A connection to one node that first waits until the node has applied everything the cluster committed
 * (`wsrep_sync_wait`): what it reads is what a client of that node would read after the writes under test.
 */
export async function withCheckConnection<T>(
  node: NodeNumber,
  databaseName: string,
  read: (connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = await connectNode(node, databaseName);
  try {
    await connection.query('SET SESSION wsrep_sync_wait = 1');
    return await read(connection);
  } finally {
    await connection.end();
  }
}

/** The rows a query answers on every node, in node order. */
export async function rowsOnEveryNode<Row>(databaseName: string, sql: string): Promise<Row[][]> {
  const rows: Row[][] = [];
  for (const node of NODES) {
    rows.push(await withCheckConnection(node, databaseName, async (c) => (await c.query(sql))[0] as Row[]));
  }
  return rows;
}
