import type { DataSource } from 'typeorm';
import { isMysql } from './database';
import type { Isolation } from './isolation';

/**
 * The isolation level new transactions get on this MySQL/MariaDB server, as `Isolation` spells levels
 * ('REPEATABLE READ'), or null where it cannot be read. MySQL 8 and MariaDB 11.1+ name the variable
 * `transaction_isolation`; older MariaDB only `tx_isolation`.
 */
export async function serverIsolation(dataSource: DataSource): Promise<Isolation | null> {
  if (!isMysql(dataSource)) return null;
  for (const variable of ['transaction_isolation', 'tx_isolation']) {
    try {
      const [row] = (await dataSource.query(`SELECT @@GLOBAL.${variable} AS level`)) as { level: string }[];
      return String(row.level).replace('-', ' ') as Isolation;
    } catch {
      // Unknown on this server: try the older name.
    }
  }
  return null;
}
