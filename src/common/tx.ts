import type { EntityManager } from 'typeorm';

declare const openTransaction: unique symbol;

/**
 * An open transaction as services hold it: something to hand to repositories, nothing to query with. Only
 * UnitOfWork makes one, so holding a Tx proves the work runs inside a transaction (row locks last until commit).
 */
export type Tx = { readonly [openTransaction]: true };

/** For UnitOfWork only: the transaction's entity manager, wrapped. */
export const asTx = (manager: EntityManager): Tx => manager as unknown as Tx;

/**
 * For repositories only (`tx-opened-only-in-repositories` in .dependency-cruiser.cjs): the queries behind a handle.
 */
export const managerOf = (tx: Tx): EntityManager => tx as unknown as EntityManager;

/** For repositories' reads that may run inside a caller's unit of work or on their own. */
export const managerOr = (tx: Tx | undefined, outside: { manager: EntityManager }): EntityManager =>
  tx ? managerOf(tx) : outside.manager;
