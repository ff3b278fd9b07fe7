/**
 * The isolation each kind of unit of work runs at on MySQL/MariaDB, chosen here and nowhere else. SQLite ignores
 * it: its transactions take turns on one connection (common/transactions.ts), which is serializable already.
 */
export const Isolation = {
  /**
   * Writes that lock what they change (SELECT … FOR UPDATE) and lean on unique keys: ledger posts, settlement,
   * thresholds, admin changes, host events. REPEATABLE READ, InnoDB's default, named so that a server configured
   * otherwise does not change how the billing engine behaves: the row locks and unique keys carry exactness, and
   * the snapshot keeps every plain read inside one unit consistent with the others.
   */
  LockedWrites: 'REPEATABLE READ',
  /**
   * Placement and everything that reserves or releases hypervisor capacity: READ COMMITTED, for two reasons. Once
   * a lock is ours, every read sees what the previous holder committed, not a snapshot from before we waited for
   * it. And no gap locks: under REPEATABLE READ, deleting confirmed reservations locks the gaps that placements
   * insert new ones into, and the two deadlock (a deadlock that still happens is retried).
   */
  Placement: 'READ COMMITTED',
  /**
   * Reads that must agree with each other, such as the billing proof: one REPEATABLE READ snapshot, so a
   * settlement committing between two reads cannot look like a missing or extra row.
   */
  Snapshot: 'REPEATABLE READ',
} as const;

export type Isolation = (typeof Isolation)[keyof typeof Isolation];
