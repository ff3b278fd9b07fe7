import type { Tx } from '../common/unit-of-work';
import type { AdmissionDecision, PlacementAdmission } from './placement-admission';
import type { PlacementRequest } from './placement.service';
import { PlacementCandidate, placeInTurn } from './round-robin';

export interface AdmittedPlacement {
  /** Per request: its hypervisor, or null when it was refused or found no room. */
  picks: (string | null)[];
  /** Per request: why its admission refused it; null when admitted (then a null pick means no room). */
  refusals: (Error | null)[];
  cursor: string | null;
}

/**
 * Places, in turn, the requests their admission lets through. A request that then finds no room is taken out and
 * the rest decided again, so what it would have cost is not held against the requests after it; the set taken out
 * only grows, so this ends.
 */
export function placeAdmitted(
  members: PlacementCandidate[],
  cursor: string | null,
  requests: readonly PlacementRequest[],
  decide: AdmissionDecision,
): AdmittedPlacement {
  const noRoom = new Set<number>();
  for (;;) {
    const candidates = requests.map((_, index) => index).filter((index) => !noRoom.has(index));
    const verdicts = decide(candidates.map((index) => requests[index]));
    const admitted = candidates.filter((_, k) => verdicts[k] === null);
    const placed = placeInTurn(
      members,
      cursor,
      admitted.map((index) => requests[index].plan),
    );
    const full = admitted.filter((_, k) => placed.picks[k] === null);
    if (full.length > 0) {
      for (const index of full) noRoom.add(index);
      continue;
    }
    const picks: (string | null)[] = requests.map(() => null);
    const refusals: (Error | null)[] = requests.map(() => null);
    admitted.forEach((index, k) => (picks[index] = placed.picks[k]));
    candidates.forEach((index, k) => (refusals[index] = verdicts[k]));
    return { picks, refusals, cursor: placed.cursor };
  }
}

/** Prepares each admission the batch's requests carry (in the transaction `tx`) and decides for them all. */
export async function prepareAdmissions(tx: Tx, requests: readonly PlacementRequest[]): Promise<AdmissionDecision> {
  const groups = new Map<PlacementAdmission, PlacementRequest[]>();
  for (const request of requests) {
    if (request.admission) groups.set(request.admission, [...(groups.get(request.admission) ?? []), request]);
  }
  const decisions: [PlacementAdmission, AdmissionDecision][] = [];
  for (const [admission, group] of groups) decisions.push([admission, await admission.prepare(tx, group)]);
  return (asked) => {
    const verdicts = new Map<PlacementRequest, Error | null>();
    for (const [admission, decide] of decisions) {
      const own = asked.filter((request) => request.admission === admission);
      decide(own).forEach((verdict, k) => verdicts.set(own[k], verdict));
    }
    return asked.map((request) => verdicts.get(request) ?? null);
  };
}
