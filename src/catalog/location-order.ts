import type { LocationEntity } from './location.entity';

/** Orders and filters location ids by a list of locations already in catalog order. */
export function inLocationOrder(ids: number[], locations: LocationEntity[]): number[] {
  const wanted = new Set(ids);
  return locations.filter((location) => wanted.has(location.id)).map((location) => location.id);
}
