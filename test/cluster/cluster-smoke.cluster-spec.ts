import { connectNode, createClusterDatabase, describeCluster, NODES } from './support/galera';

describeCluster('the Galera cluster the cluster tests run on', () => {
  it('has three synced nodes, and a row written on one node is read on every other', async () => {
    const database = await createClusterDatabase();
    try {
      const first = await connectNode(1, database.name);
      await first.query('CREATE TABLE probe (id INT PRIMARY KEY, note VARCHAR(20))');
      await first.query("INSERT INTO probe VALUES (1, 'written on node 1')");
      await first.end();
      for (const node of NODES) {
        const connection = await connectNode(node, database.name);
        const [size] = await connection.query("SHOW STATUS LIKE 'wsrep_cluster_size'");
        // wsrep_sync_wait makes the read wait until this node has applied everything committed before it.
        await connection.query('SET SESSION wsrep_sync_wait = 1');
        const [rows] = await connection.query('SELECT note FROM probe');
        await connection.end();
        expect((size as { Value: string }[])[0].Value).toBe('3');
        expect(rows).toEqual([{ note: 'written on node 1' }]);
      }
    } finally {
      await database.drop();
    }
  });
});
