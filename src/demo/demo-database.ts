import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { dataSourceOptionsFromUrl } from '../common/data-source-options';

/** SQLite creates the file but not its folder: make the folder of `sqlite:<path>` (or the default file) exist. */
export function ensureSqliteDirectory(databaseUrl: string | undefined): void {
  const options = dataSourceOptionsFromUrl(databaseUrl);
  if (options.type !== 'better-sqlite3' || typeof options.database !== 'string') return;
  if (options.database === ':memory:' || options.database === '') return;
  mkdirSync(dirname(options.database), { recursive: true });
}
