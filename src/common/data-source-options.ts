import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { CLOUD_BILLING_MIGRATIONS } from '../../migrations';
import { CLOUD_BILLING_ENTITIES } from '../cloud-billing.entities';

export const DEFAULT_SQLITE_FILE = join('data', 'cloud-billing.sqlite');

/**
 * TypeORM options from a DATABASE_URL: `mysql://…` (MySQL / MariaDB),
 * `sqlite:<path>`, or empty for the embedded SQLite file. Used by the demo
 * host and the migration CLI; a real host builds its own data source.
 */
export function dataSourceOptionsFromUrl(url: string | undefined): DataSourceOptions {
  const common = { entities: CLOUD_BILLING_ENTITIES, migrations: CLOUD_BILLING_MIGRATIONS, synchronize: false };
  if (!url) return { type: 'better-sqlite3', database: DEFAULT_SQLITE_FILE, ...common };
  if (url.startsWith('sqlite:'))
    return { type: 'better-sqlite3', database: url.slice('sqlite:'.length) || DEFAULT_SQLITE_FILE, ...common };
  if (/^(mysql|mariadb):\/\//.test(url)) {
    // BIGINT comes back as strings and the transformer checks them; times are stored in UTC.
    return {
      type: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      ...common,
    };
  }
  throw new Error(`DATABASE_URL must start with mysql://, mariadb:// or sqlite: (got "${url}")`);
}
