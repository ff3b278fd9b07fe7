import type { Resources } from '../catalog/capacity';

const KEYS = ['vcpus', 'ramMb', 'diskGb'] as const;

/**
 * Whether an instance can move from plan `from` to plan `to` where it is. Resource by resource:
 * shrinking always fits (it only gives room back, even on a host that is now over-full or
 * gone); growing fits when what is held without the old size, plus the new size, stays
 * within the capacity.
 */
export function hasRoomToResize(capacity: Resources, allocated: Resources, from: Resources, to: Resources): boolean {
  return KEYS.every((key) => to[key] <= from[key] || allocated[key] - from[key] + to[key] <= capacity[key]);
}
