import type { Connection } from 'mysql2/promise';
import { galeraBreaches, tablesOf, type TableShape } from '../support/galera-rules';
import { startTestApp } from '../support/test-app';
import { connectNode, createClusterDatabase, describeCluster, NODES } from './support/galera';

/** The tables one node holds, read after it has applied everything the cluster committed before the read. */
async function tablesOnNode(connection: Connection): Promise<TableShape[]> {
  await connection.query('SET SESSION wsrep_sync_wait = 1');
  return tablesOf(async (sql) => (await connection.query(sql))[0] as Record<string, unknown>[], 'mysql');
}

describeCluster('the migrations on the Galera cluster', () => {
  it('applied by an app on node 1, build the same Galera-safe tables on every node', async () => {
    const database = await createClusterDatabase();
    try {
      // Starting the app runs the migrations, through node 1 only.
      const app = await startTestApp({ databaseUrl: database.urls[0] });
      await app.close();
      const schemas: TableShape[][] = [];
      const applied: unknown[] = [];
      for (const node of NODES) {
        const connection = await connectNode(node, database.name);
        try {
          schemas.push(await tablesOnNode(connection));
          applied.push((await connection.query('SELECT name FROM migrations ORDER BY id'))[0]);
        } finally {
          await connection.end();
        }
      }
      expect(schemas[0].filter((table) => table.name.startsWith('cloud_billing_')).length).toBeGreaterThan(20);
      expect(galeraBreaches(schemas[0])).toEqual([]);
      expect(schemas[1]).toEqual(schemas[0]);
      expect(schemas[2]).toEqual(schemas[0]);
      expect((applied[0] as unknown[]).length).toBeGreaterThan(15);
      expect(applied[1]).toEqual(applied[0]);
      expect(applied[2]).toEqual(applied[0]);
    } finally {
      await database.drop();
    }
  });
});
