import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

declare const TEST_DB: 'sqlite' | 'mysql';

export const testEngine = (): 'sqlite' | 'mysql' => TEST_DB;

/**
 * A fresh, empty database for one test file: an in-memory SQLite database, or
 * on MySQL a database named after the jest worker, created here and dropped by
 * the returned cleanup.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (TEST_DB === 'sqlite') return { url: 'sqlite::memory:', drop: async () => undefined };
  const server = new URL(process.env.DATABASE_URL as string);
  const name = `cloud_billing_test_w${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
  });
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    drop: async () => {
      const connection = await createConnection(server.toString());
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}
