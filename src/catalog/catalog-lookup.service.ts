import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/unit-of-work';
import type { LocationEntity } from './location.entity';
import { LocationRepository } from './location.repository';
import { PlanGroupRepository } from './plan-group.repository';
import type { PlanEntity, PlanGroupEntity } from './plan.entity';
import { PlanRepository } from './plan.repository';

/**
 * Catalog rows by id, as they are, for the features above the catalog (the wizard's offers and resizes): null
 * for an unknown id, so that each caller decides what that means. The admin reads with their 404s are the
 * catalog's other services. The existence checks read in the caller's unit of work.
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

  planExists(tx: Tx, id: number): Promise<boolean> {
    return this.plans.exists(tx, id);
  }

  planGroup(id: number): Promise<PlanGroupEntity | null> {
    return this.groups.find(id);
  }

  location(id: number): Promise<LocationEntity | null> {
    return this.locations.find(id);
  }

  locationExists(tx: Tx, id: number): Promise<boolean> {
    return this.locations.exists(tx, id);
  }

  allLocations(): Promise<LocationEntity[]> {
    return this.locations.list();
  }
}
