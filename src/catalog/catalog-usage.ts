/** Instances that billing recorded against a catalog entry: how many, and the first few ids to name. */
export interface CatalogDependents {
  count: number;
  /** Up to the sample size asked for, in id order. */
  sampleIds: string[];
}

/**
 * What billing has recorded against plans and locations, asked before one is deleted. The instances
 * feature owns those rows and provides this; the catalog declares it so that it imports nothing from
 * instances, which already depends on the catalog. An abstract class so that it is its own Nest token.
 */
export abstract class CatalogUsage {
  /** Instances on the plan now, or with any segment of their life on it. */
  abstract instancesOnPlan(planId: number, sampleSize: number): Promise<CatalogDependents>;

  /** Instances placed in the location, terminated ones included. */
  abstract instancesInLocation(locationId: number, sampleSize: number): Promise<CatalogDependents>;
}
