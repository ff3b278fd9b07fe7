import type { EntityManager } from 'typeorm';

/**
 * An open transaction as services hold it: something to hand to repositories, nothing to query with. Only
 * UnitOfWork makes one, so holding a Tx proves the work runs inside a transaction (row locks last until commit).
 *
 * TRANSITION (issue 10, while the features move onto UnitOfWork in parallel): still the manager itself, so
 * converted and unconverted callers compile together. Becomes `{ readonly [openTransaction]: true }` at the end.
 */
export type Tx = EntityManager;

/** For UnitOfWork only: the transaction's entity manager, wrapped. */
export const asTx = (manager: EntityManager): Tx => manager as unknown as Tx;

/**
 * For repositories only (the boundary check in .dependency-cruiser.cjs enforces it): the queries behind a handle.
 * Reads that need no transaction pass no handle and use the data source's own manager.
 */
export const managerOf = (tx: Tx): EntityManager => tx as unknown as EntityManager;
