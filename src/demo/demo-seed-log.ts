import type { DataSource } from 'typeorm';
import { Table } from 'typeorm';
import { isUniqueViolation } from '../common/database';

/**
 * The demo host's own record of which seed steps a database has had. It is a
 * host table (no `cloud_billing_` prefix, no plugin migration): the plugin
 * knows nothing of seeding. A step is claimed before it runs, so two demo
 * replicas starting on one MySQL database do not both seed; a step that
 * throws is released, but one cut short by a crash stays claimed (delete its
 * row to seed it again).
 */
export class DemoSeedLog {
  static readonly TABLE = 'demo_host_seed_steps';

  constructor(private readonly dataSource: DataSource) {}

  async ensureTable(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      if (await runner.hasTable(DemoSeedLog.TABLE)) return;
      await runner.createTable(
        new Table({
          name: DemoSeedLog.TABLE,
          columns: [
            { name: 'step', type: 'varchar', length: '64', isPrimary: true },
            { name: 'done_at', type: 'varchar', length: '32' },
          ],
        }),
        true,
      );
    } finally {
      await runner.release();
    }
  }

  /** True when this process won the step; false when it already ran (here or in another replica). */
  async claim(step: string, at: Date): Promise<boolean> {
    try {
      await this.dataSource.query(`INSERT INTO ${DemoSeedLog.TABLE} (step, done_at) VALUES (?, ?)`, [
        step,
        at.toISOString(),
      ]);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** After a failed step, so that the next start tries it again. */
  async release(step: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${DemoSeedLog.TABLE} WHERE step = ?`, [step]);
  }
}
