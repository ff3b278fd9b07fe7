import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { LocationEntity } from './location.entity';
import { LocationRepository } from './location.repository';
import { PlanGroupRepository } from './plan-group.repository';
import type { PlanEntity, PlanGroupEntity } from './plan.entity';
import { PlanRepository } from './plan.repository';

/**
 * Catalog rows by id, as they are, for the features above the catalog (the wizard's offers and resizes): null
 * for an unknown id, so that each caller decides what that means. The admin reads with their 404s are the
 * catalog's other services. The existence checks read in the caller's transaction when given one.
 */
@Injectable()
export class CatalogLookupService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly groups: PlanGroupRepository,
    private readonly locations: LocationRepository,
  ) {}

  plan(id: number): Promise<PlanEntity | null> {
    return this.plans.find(id);
  }

  allPlans(): Promise<PlanEntity[]> {
    return this.plans.list();
  }

  /** The locations each plan is offered in. */
  planLocationIds(planIds: number[]): Promise<Map<number, number[]>> {
    return this.plans.locationIds(planIds);
  }

  planExists(id: number, manager?: EntityManager): Promise<boolean> {
    return this.plans.exists(id, manager);
  }

  planGroup(id: number): Promise<PlanGroupEntity | null> {
    return this.groups.find(id);
  }

  location(id: number): Promise<LocationEntity | null> {
    return this.locations.find(id);
  }

  locationExists(id: number, manager?: EntityManager): Promise<boolean> {
    return this.locations.exists(id, manager);
  }

  allLocations(): Promise<LocationEntity[]> {
    return this.locations.list();
  }
}
