import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Galera's limits (MariaDB's "Galera Cluster known limitations"), as checks on our schema and migrations. A
 * schema that breaks them works on one server and silently diverges, or stops, on a cluster.
 */

/** Statements Galera does not replicate, or replicates in a way that breaks the cluster. */
export const GALERA_UNSAFE_STATEMENTS: { name: string; pattern: RegExp }[] = [
  // Table locks are local to one node: another node writes straight through them.
  { name: 'LOCK TABLES', pattern: /\bLOCK\s+TABLES?\b/i },
  // Named locks are local to one node, too.
  { name: 'GET_LOCK()', pattern: /\bGET_LOCK\s*\(/i },
  // Replicated as statements with no row events for the selected rows: the copies may differ.
  { name: 'CREATE TABLE … SELECT', pattern: /\bCREATE\s+(?:TEMPORARY\s+)?TABLE\b[^;`'"]*?\bSELECT\b/i },
  // Galera replicates InnoDB only: rows of any other engine stay on the node that wrote them.
  {
    name: 'a non-InnoDB engine',
    pattern: /\bENGINE['"]?\s*[=:]?\s*['"`]?(?:MyISAM|MEMORY|HEAP|ARIA|CSV|ARCHIVE|BLACKHOLE)\b/i,
  },
  // Two-phase commit across resources is not supported.
  { name: 'XA transactions', pattern: /\bXA\s+(?:START|BEGIN|END|PREPARE|COMMIT|ROLLBACK|RECOVER)\b/i },
  // Temporary tables are not replicated: a statement that reads one on another node finds nothing.
  { name: 'CREATE TEMPORARY TABLE', pattern: /\bCREATE\s+TEMPORARY\s+TABLE\b/i },
];

/** The names of the unsafe statements in TypeScript source, its comments left out (they may name what we avoid). */
export function unsafeStatementsIn(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  return GALERA_UNSAFE_STATEMENTS.filter(({ pattern }) => pattern.test(code)).map(({ name }) => name);
}

/** Every migration file (migrations/*.ts) with the unsafe statements found in it; an empty list when all are safe. */
export function unsafeMigrations(): { file: string; statements: string[] }[] {
  const folder = join(__dirname, '..', '..', 'migrations');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file, statements: unsafeStatementsIn(readFileSync(join(folder, file), 'utf8')) }))
    .filter(({ statements }) => statements.length > 0);
}

/** Runs SQL and answers its rows: DataSource.query, or a mysql2 connection wrapped to answer rows. */
export type RunQuery = (sql: string) => Promise<Record<string, unknown>[]>;

export interface TableShape {
  name: string;
  /** The primary key's columns in key order; empty when the table has none. */
  primaryKey: string[];
  /** MySQL's storage engine; null on SQLite. */
  engine: string | null;
  /** Column names in table order, so two nodes' copies can be compared. */
  columns: string[];
}

/** The tables of the current database, sorted by name. */
export async function tablesOf(query: RunQuery, engine: 'mysql' | 'sqlite'): Promise<TableShape[]> {
  return engine === 'mysql' ? mysqlTables(query) : sqliteTables(query);
}

async function mysqlTables(query: RunQuery): Promise<TableShape[]> {
  const tables = await query(
    "SELECT TABLE_NAME AS name, ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
  );
  const columns = await query(
    'SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_KEY AS columnKey FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION',
  );
  const keys = await query(
    "SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION",
  );
  return tables.map((table) => ({
    name: String(table.name),
    engine: table.engine === null ? null : String(table.engine),
    primaryKey: keys.filter((key) => key.tableName === table.name).map((key) => String(key.name)),
    columns: columns.filter((column) => column.tableName === table.name).map((column) => String(column.name)),
  }));
}

async function sqliteTables(query: RunQuery): Promise<TableShape[]> {
  const tables = await query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const shapes: TableShape[] = [];
  for (const { name } of tables) {
    // pk is the column's position in the primary key (1, 2, …), 0 when it is not part of it.
    const columns = await query(`PRAGMA table_info("${String(name)}")`);
    shapes.push({
      name: String(name),
      engine: null,
      primaryKey: columns
        .filter((column) => Number(column.pk) > 0)
        .sort((a, b) => Number(a.pk) - Number(b.pk))
        .map((column) => String(column.name)),
      columns: columns.map((column) => String(column.name)),
    });
  }
  return shapes;
}

/** What breaks Galera's rules in these tables: one line a breach, empty when none. */
export function galeraBreaches(tables: TableShape[]): string[] {
  return tables.flatMap((table) => [
    ...(table.primaryKey.length === 0 ? [`${table.name} has no primary key`] : []),
    ...(table.engine !== null && table.engine.toLowerCase() !== 'innodb'
      ? [`${table.name} is ${table.engine}, not InnoDB`]
      : []),
  ]);
}
