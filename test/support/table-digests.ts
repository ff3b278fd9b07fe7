import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isMysql } from '../../src/common/database';

/** Table name → "row count:digest of the rows", for every cloud_billing_* table. */
export type TableDigests = Record<string, string>;

const TABLES_SQL = {
  sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'cloud\\_billing\\_%' ESCAPE '\\'",
  mysql:
    'SELECT table_name AS name FROM information_schema.tables ' +
    "WHERE table_schema = DATABASE() AND table_name LIKE 'cloud\\_billing\\_%'",
};

// BIGINT may come back as a bigint; JSON has no such type.
const plain = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/**
 * What every plugin table holds now, cheap enough to take around each request. Rows are compared as sorted JSON
 * lines, so a digest changes when any row is added, removed or changed, whatever order the engine reads them in.
 */
export async function tableDigests(dataSource: DataSource): Promise<TableDigests> {
  const tables = (await dataSource.query(TABLES_SQL[isMysql(dataSource) ? 'mysql' : 'sqlite'])) as { name: string }[];
  const digests: TableDigests = {};
  for (const { name } of tables) {
    const rows = (await dataSource.query(`SELECT * FROM ${dataSource.driver.escape(name)}`)) as object[];
    const lines = rows.map((row) => JSON.stringify(row, plain)).sort();
    digests[name] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
  }
  return digests;
}
