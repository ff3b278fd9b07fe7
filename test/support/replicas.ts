import { startTestApp, TestApp, TestAppOptions } from './test-app';
import { createTestDatabase, testEngine } from './test-database';

export interface Replicas {
  a: TestApp;
  b: TestApp;
}

/**
 * `describe` for tests of two app replicas sharing one MySQL/MariaDB database. SQLite is one process's file, so
 * "two replicas" has no meaning there: the block is skipped, saying why. `replicas()` gives the two apps of the
 * current test, each started on a fresh shared database before it and closed after it.
 */
type ReplicaTests = (replicas: () => Replicas) => void;

export function describeReplicas(
  name: string,
  ...args: [ReplicaTests] | [options: Omit<TestAppOptions, 'databaseUrl'>, body: ReplicaTests]
): void {
  const [options, body] = args.length === 1 ? [{}, args[0]] : args;
  if (testEngine() !== 'mysql') {
    console.log(`[cloud-billing] skipped "${name}": two replicas need MySQL/MariaDB (set DATABASE_URL=mysql://…)`);
    describe.skip(name, () => body(() => ({}) as Replicas));
    return;
  }
  describe(name, () => {
    let database: { url: string; drop: () => Promise<void> };
    let current: Replicas;
    beforeEach(async () => {
      database = await createTestDatabase();
      current = {
        a: await startTestApp({ ...options, databaseUrl: database.url }),
        b: await startTestApp({ ...options, databaseUrl: database.url }),
      };
    });
    afterEach(async () => {
      await current.a.close();
      await current.b.close();
      await database.drop();
    });
    body(() => current);
  });
}
