import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { connect, createDatabase, databaseUrl, dropDatabase, valuesClause } from './database';

export type BenchEngine = 'mariadb' | 'sqlite';

/**
 * Where a scenario's databases live: a MariaDB server (each database created and dropped on it) or, with
 * DATABASE_URL=sqlite:, a folder of SQLite files. What the seed, the checks and the bare SQL talk to is a BenchDb.
 */
export interface BenchTarget {
  engine: BenchEngine;
  /** The MariaDB server URL (no database), or the folder the SQLite files go to. */
  location: string;
}

/** A plain connection, no ORM: `?` placeholders on both engines, BIGINTs back as strings (MariaDB) or numbers. */
export interface BenchDb {
  readonly engine: BenchEngine;
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; the rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  end(): Promise<void>;
}

export function sqliteTarget(): BenchTarget {
  return { engine: 'sqlite', location: tmpdir() };
}

/** What the demo host's DATABASE_URL is for a scenario's database. */
export function databaseUrlOf(target: BenchTarget, database: string): string {
  if (target.engine === 'sqlite') return `sqlite:${sqliteFile(target, database)}`;
  return databaseUrl(new URL(target.location), database);
}

const sqliteFile = (target: BenchTarget, database: string) => join(target.location, `${database}.sqlite`);

export async function createBenchDatabase(target: BenchTarget, database: string): Promise<void> {
  // SQLite creates the file when the demo host first opens it.
  if (target.engine === 'mariadb') await createDatabase(new URL(target.location), database);
}

export async function dropBenchDatabase(target: BenchTarget, database: string): Promise<void> {
  if (target.engine === 'mariadb') return dropDatabase(new URL(target.location), database);
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(`${sqliteFile(target, database)}${suffix}`, { force: true });
}

export async function openBenchDb(target: BenchTarget, database: string): Promise<BenchDb> {
  if (target.engine === 'mariadb') return mariadb(await connect(new URL(target.location), database));
  // Loaded here only: a MariaDB run does not need the native SQLite module.
  const { default: Sqlite } = await import('better-sqlite3');
  // The journal mode the demo host's data source leaves (rollback journal), so both ways write alike.
  const db = new Sqlite(sqliteFile(target, database));
  return {
    engine: 'sqlite',
    rows: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params.map(sqliteValue)) as T[],
    run: async (sql, params = []) => db.prepare(sql).run(...params.map(sqliteValue)).changes,
    // IMMEDIATE: the write lock from the start, as the engine's units of work take it.
    begin: async () => void db.exec('BEGIN IMMEDIATE'),
    commit: async () => void db.exec('COMMIT'),
    rollback: async () => void (db.inTransaction && db.exec('ROLLBACK')),
    end: async () => void db.close(),
  };
}

function mariadb(connection: Connection): BenchDb {
  return {
    engine: 'mariadb',
    rows: async <T>(sql: string, params: unknown[] = []) => (await connection.query(sql, params))[0] as T[],
    run: async (sql, params = []) => ((await connection.query(sql, params))[0] as ResultSetHeader).affectedRows,
    begin: () => connection.beginTransaction(),
    commit: () => connection.commit(),
    rollback: () => connection.rollback(),
    end: () => connection.end(),
  };
}

/** better-sqlite3 binds no booleans or Dates: stored as the engine's entities store them (1/0, ISO text). */
function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return value;
}

/** A nullable numeric column as a number (MariaDB hands BIGINTs back as strings). */
export const num = (value: string | number | null) => (value === null ? null : Number(value));

/** Times a step of a batch (the bare SQL's steps, summed per step). */
export type Timed = <T>(step: string, work: () => Promise<T>) => Promise<T>;

/** `(?, ?, …)` for an IN list. */
export const inList = (values: readonly unknown[]) => `(${values.map(() => '?').join(', ')})`;

/** What makes a multi-row INSERT overwrite `update` where `key` exists. */
export function upsertClause(db: BenchDb, key: readonly string[], update: readonly string[]): string {
  return db.engine === 'mariadb'
    ? ` ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`
    : ` ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`;
}

/** Row locks on MariaDB; SQLite's write transaction is already exclusive. */
export const forUpdate = (db: BenchDb) => (db.engine === 'mariadb' ? ' FOR UPDATE' : '');

/** How a table's columns are filled from a row object: `[column, value of the row]`, in INSERT order. */
export type ColumnsOf<T> = readonly (readonly [column: string, value: (row: T) => unknown])[];

/** Columns named after the row's properties in snake_case (`hourStartMs` → `hour_start_ms`), `renamed` otherwise. */
export function columnsNamed<T>(
  properties: readonly (keyof T & string)[],
  renamed: Partial<Record<keyof T & string, string>> = {},
): ColumnsOf<T> {
  const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return properties.map((property) => [renamed[property] ?? snake(property), (row: T) => row[property]] as const);
}

/** Rows per multi-row statement: under SQLite's 32,766 bound parameters for the widest table. */
const ROWS_PER_STATEMENT = 1_000;

/** Multi-row INSERTs of `rows` (or upserts on `upsert.key`), ROWS_PER_STATEMENT at a time. */
export async function insertRows<T>(
  db: BenchDb,
  table: string,
  columns: ColumnsOf<T>,
  rows: readonly T[],
  upsert?: { key: readonly string[]; update: readonly string[] },
): Promise<void> {
  const head = `INSERT INTO ${table} (${columns.map(([column]) => column).join(', ')}) VALUES `;
  const tail = upsert ? upsertClause(db, upsert.key, upsert.update) : '';
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const values = valuesClause(
      rows.slice(start, start + ROWS_PER_STATEMENT).map((row) => columns.map(([, of]) => of(row))),
    );
    await db.run(`${head}${values.sql}${tail}`, values.params);
  }
}

/** How `db` names the tables of another database of the same target in its SQL: `<name>.cloud_billing_…`. */
export async function reachOther(db: BenchDb, target: BenchTarget, database: string): Promise<string> {
  if (target.engine === 'mariadb') return `\`${database}\``;
  await db.run('ATTACH DATABASE ? AS other', [sqliteFile(target, database)]);
  return 'other';
}
