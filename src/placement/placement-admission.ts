import type { Tx } from '../common/unit-of-work';
import type { PlacementRequest } from './placement.service';

/** Refuses some of a batch's requests, in their order: null admits, an error refuses that request alone. */
export type AdmissionDecision = (requests: readonly PlacementRequest[]) => (Error | null)[];

/**
 * A rule a placement must pass under the placement transaction's locks, so that concurrent placements cannot all
 * pass on the same facts (the wizard's credit needed to create). `prepare` runs first in the transaction, before
 * the location's lock: it locks and reads what it decides on (the accounts, sorted, as every writer of balances
 * does). The decision it returns may be asked several times: when a request it admitted finds no room, the others
 * are decided again without it, so a request that takes no slot is not counted against the ones after it.
 */
export interface PlacementAdmission {
  prepare(tx: Tx, requests: readonly PlacementRequest[]): Promise<AdmissionDecision>;
}
