import { MigrationInterface, QueryRunner, Table } from 'typeorm';

const CLAIMS = 'cloud_billing_cluster_claims';

/**
 * Row locks that reach every node of a multi-primary cluster (issue 13). On MariaDB Galera or MySQL Group
 * Replication, SELECT … FOR UPDATE locks only on the node that runs it; two transactions on two nodes that decide on
 * the same rows meet only at commit, and only if they wrote a row in common. A decision that locks rows it may not
 * write (a placement's location, a creation's account) also writes its claim here, so the second of two conflicting
 * transactions fails certification and is retried instead of both committing. See common/cluster-claims.repository.ts.
 */
export class ClusterClaims1763740020000 implements MigrationInterface {
  name = 'ClusterClaims1763740020000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: CLAIMS,
        columns: [
          { name: 'claim_key', type: 'varchar', length: '120', isPrimary: true },
          { name: 'claims', type: 'bigint', default: 0 },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(CLAIMS);
  }
}
