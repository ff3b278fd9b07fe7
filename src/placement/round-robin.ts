import { fits, freeCapacity, Resources } from '../catalog/capacity';

/** A member of a location as placement weighs it. */
export interface PlacementCandidate {
  hypervisorId: string;
  /** false: in maintenance. */
  enabled: boolean;
  /** false: offline, or no longer reported by the host. */
  online: boolean;
  free: Resources;
}

/**
 * The members in the order placement tries them: the one after the cursor first, wrapping
 * round. A cursor that is no longer a member (it left the location) starts from the top.
 */
export function tryOrder<T extends { hypervisorId: string }>(members: T[], cursor: string | null): T[] {
  const start = members.findIndex((member) => member.hypervisorId === cursor) + 1;
  return [...members.slice(start), ...members.slice(0, start)];
}

/** The next member after the cursor that is enabled, online and has room for the plan; null when none has. */
export function pickHypervisor<T extends PlacementCandidate>(
  members: T[],
  cursor: string | null,
  plan: Resources,
): T | null {
  return tryOrder(members, cursor).find((m) => m.enabled && m.online && fits(m.free, plan)) ?? null;
}

/**
 * Places several plans one after the other, as separate placements would: each goes after the
 * previous pick, and takes its room before the next is placed. `members` is not changed.
 * Returns each plan's hypervisor (null where none had room) and where the cursor ends.
 */
export function placeInTurn(
  members: PlacementCandidate[],
  cursor: string | null,
  plans: Resources[],
): { picks: (string | null)[]; cursor: string | null } {
  const room = members.map((member) => ({ ...member, free: { ...member.free } }));
  const picks = plans.map((plan) => {
    const chosen = pickHypervisor(room, cursor, plan);
    if (!chosen) return null;
    chosen.free = freeCapacity(chosen.free, plan);
    cursor = chosen.hypervisorId;
    return chosen.hypervisorId;
  });
  return { picks, cursor };
}
