import { Injectable } from '@nestjs/common';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import { notFound } from './catalog.errors';
import { HypervisorService } from './hypervisor.service';
import { hasCapacity } from './location-capacity';
import { inLocationOrder } from './location-order';
import type { LocationEntity } from './location.entity';
import { LocationRepository } from './location.repository';
import { PlanGroupRepository } from './plan-group.repository';
import type { PlanEntity, PlanGroupEntity } from './plan.entity';
import { PlanRepository } from './plan.repository';
import { PlanDetails, PlanService } from './plan.service';

export type CatalogLocation = LocationEntity & { hasCapacity: boolean };

/** What signed-in users may browse: enabled entries only, a disabled parent hiding its children. */
@Injectable()
export class CatalogService {
  constructor(
    private readonly groups: PlanGroupRepository,
    private readonly plans: PlanRepository,
    private readonly planService: PlanService,
    private readonly locations: LocationRepository,
    private readonly hypervisors: HypervisorService,
    private readonly viewerCurrency: ViewerCurrencyService,
  ) {}

  planGroups(): Promise<PlanGroupEntity[]> {
    return this.groups.listEnabled();
  }

  /** The enabled plans (of one group when asked), with the enabled locations offering each, priced for the viewer. */
  async planList(userId: string, groupId?: number): Promise<{ viewer: ViewerCurrency; plans: PlanDetails[] }> {
    const groups = await this.groups.listEnabled();
    if (groupId !== undefined && !groups.some((group) => group.id === groupId)) throw notFound('plan group', groupId);
    const groupIds = groupId === undefined ? groups.map((group) => group.id) : [groupId];
    const [plans, locations, viewer] = await Promise.all([
      this.plans.listEnabledIn(groupIds),
      this.locations.listEnabled(),
      this.viewerCurrency.forUser(userId),
    ]);
    return { viewer, plans: await this.planService.withLocations(plans, locations) };
  }

  /** Enabled locations (offering the plan when one is given), each saying whether a hypervisor there has room. */
  async locationList(planId?: number): Promise<CatalogLocation[]> {
    const [locations, fleet] = await Promise.all([this.locations.listEnabled(), this.hypervisors.fleet()]);
    if (planId === undefined) {
      return locations.map((location) => ({ ...location, hasCapacity: hasCapacity(location.id, fleet, null) }));
    }
    const plan = await this.visiblePlan(planId);
    const offered = inLocationOrder((await this.plans.locationIds([plan.id])).get(plan.id) ?? [], locations);
    return locations
      .filter((location) => offered.includes(location.id))
      .map((location) => ({ ...location, hasCapacity: hasCapacity(location.id, fleet, plan) }));
  }

  /** A disabled plan, or one in a disabled group, does not exist for users. */
  private async visiblePlan(planId: number): Promise<PlanEntity> {
    const plan = await this.plans.find(planId);
    const group = plan ? await this.groups.find(plan.groupId) : null;
    if (!plan?.enabled || !group?.enabled) throw notFound('plan', planId);
    return plan;
  }
}
