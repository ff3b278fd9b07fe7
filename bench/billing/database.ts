import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';

/** The MariaDB server the benchmark uses: DATABASE_URL when it is a MySQL URL, else the local root account. */
export function serverUrl(env: NodeJS.ProcessEnv = process.env): URL {
  const url = env.DATABASE_URL;
  if (url && /^(mysql|mariadb):\/\//.test(url)) {
    const server = new URL(url.replace(/^mariadb:/, 'mysql:'));
    server.pathname = '/';
    return server;
  }
  return new URL('mysql://root@127.0.0.1:3306/');
}

export function databaseUrl(server: URL, database: string): string {
  const url = new URL(server.toString());
  url.pathname = `/${database}`;
  return url.toString();
}

export function benchDatabaseName(): string {
  return `cloud_billing_bench_${randomBytes(4).toString('hex')}`;
}

/** A plain mysql2 connection (no ORM): what the seed, the checks and the bare-SQL baseline use. */
export function connect(server: URL, database?: string, connectTimeout = 10_000): Promise<Connection> {
  return createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    database,
    connectTimeout,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
}

/** Null when the server answers, else why not. */
export async function unreachableReason(server: URL): Promise<string | null> {
  try {
    const connection = await connect(server, undefined, 3_000);
    await connection.query('SELECT 1');
    await connection.end();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

export async function createDatabase(server: URL, name: string): Promise<void> {
  const connection = await connect(server);
  await connection.query(`CREATE DATABASE \`${name}\``);
  await connection.end();
}

export async function dropDatabase(server: URL, name: string): Promise<void> {
  const connection = await connect(server);
  await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await connection.end();
}

/** `(?, ?, …), (?, ?, …)` for a multi-row INSERT, with the values flattened in the same order. */
export function valuesClause(rows: unknown[][]): { sql: string; params: unknown[] } {
  const tuple = `(${rows[0].map(() => '?').join(', ')})`;
  return { sql: rows.map(() => tuple).join(', '), params: rows.flat() };
}
