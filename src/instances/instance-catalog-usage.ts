import { Injectable } from '@nestjs/common';
import { CatalogDependents, CatalogUsage } from '../catalog/catalog-usage';
import { InstanceRepository } from './instance.repository';

/**
 * Answers the catalog before it deletes a plan or location. Terminated instances count: their usage
 * rows and reports still name the plan and location, and re-rating a recent hour needs the plan's prices.
 */
@Injectable()
export class InstanceCatalogUsage implements CatalogUsage {
  constructor(private readonly repository: InstanceRepository) {}

  instancesOnPlan(planId: number, sampleSize: number): Promise<CatalogDependents> {
    return this.repository.dependentsOfPlan(planId, sampleSize);
  }

  instancesInLocation(locationId: number, sampleSize: number): Promise<CatalogDependents> {
    return this.repository.dependentsOfLocation(locationId, sampleSize);
  }
}
