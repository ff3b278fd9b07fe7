import { Injectable } from '@nestjs/common';
import { notFound } from '../catalog/catalog.errors';
import { hasCapacity } from '../catalog/location-capacity';
import { HypervisorService } from '../catalog/hypervisor.service';
import { CatalogLookupService } from '../catalog/catalog-lookup.service';
import type { LocationEntity } from '../catalog/location.entity';
import type { PlanEntity } from '../catalog/plan.entity';
import { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { SettingsEntity } from '../settings/settings.entity';
import { SettingsService } from '../settings/settings.service';
import { BudgetService } from '../budgets/budget.service';
import { CreationCreditService } from './creation-credit.service';
import { budgetRefusal, CreditFacts, creationRefusal, Refusal } from './creation-rules';

/** A plan in a location as one user would get it now. */
export interface Offer {
  plan: PlanEntity;
  location: LocationEntity;
  /** Micro-credits. */
  balance: number;
  settings: SettingsEntity;
  /** The balance rule as it stands now (creation decides it again under the account's lock). */
  credit: CreditFacts;
  refusal: Refusal | null;
}

/** Resolves a plan and a location for a user and applies the creation rules: what the quote and creation share. */
@Injectable()
export class OfferService {
  constructor(
    private readonly catalog: CatalogLookupService,
    private readonly hypervisors: HypervisorService,
    private readonly settings: SettingsService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly budgets: BudgetService,
    private readonly credit: CreationCreditService,
  ) {}

  /**
   * Unknown ids are a 404. `preview: true` is the quote: capacity read from the fleet and the credit creating
   * needs worked out as things are now. `preview: false` is creation's first look: capacity and the credit held by
   * the user's other instances are left to placement, which decides them under the location's and the account's
   * locks, so only the new plan's own hours are asked for here (a floor that never refuses what the lock would pass).
   */
  async assess(userId: string, planId: number, locationId: number, preview: boolean): Promise<Offer> {
    const [plan, location] = await Promise.all([this.catalog.plan(planId), this.catalog.location(locationId)]);
    if (!plan) throw notFound('plan', planId);
    if (!location) throw notFound('location', locationId);
    const settings = await this.settings.get();
    const [group, offeredIn, credit, view, fleet] = await Promise.all([
      this.catalog.planGroup(plan.groupId),
      this.catalog.planLocationIds([plan.id]),
      this.credit.factsFor(userId, plan.id, settings, preview),
      this.viewerCurrency.forUser(userId),
      preview ? this.hypervisors.fleet() : null,
    ]);
    const refusal =
      creationRefusal(
        {
          planName: plan.name,
          planEnabled: plan.enabled && group?.enabled === true,
          locationName: location.name,
          locationEnabled: location.enabled,
          offered: (offeredIn.get(plan.id) ?? []).includes(location.id),
          hasCapacity: fleet === null || hasCapacity(location.id, fleet, plan),
          ...credit,
        },
        (micros) => view.money(micros).formatted,
      ) ?? budgetRefusal(await this.budgets.creationBlock(userId));
    return { plan, location, balance: credit.balance, settings, credit, refusal };
  }

  async requirePlan(planId: number): Promise<PlanEntity> {
    const plan = await this.catalog.plan(planId);
    if (!plan) throw notFound('plan', planId);
    return plan;
  }

  /** Enabled, in an enabled group. */
  async isPlanAvailable(plan: PlanEntity): Promise<boolean> {
    return plan.enabled && (await this.catalog.planGroup(plan.groupId))?.enabled === true;
  }

  async isOfferedIn(plan: PlanEntity, locationId: number): Promise<boolean> {
    return ((await this.catalog.planLocationIds([plan.id])).get(plan.id) ?? []).includes(locationId);
  }

  async locationName(locationId: number): Promise<string | null> {
    return (await this.catalog.location(locationId))?.name ?? null;
  }

  /** Plan and location names for listing instances; a deleted one shows as null. */
  async names(): Promise<{ plans: Map<number, string>; locations: Map<number, string> }> {
    const [plans, locations] = await Promise.all([this.catalog.allPlans(), this.catalog.allLocations()]);
    return {
      plans: new Map(plans.map((plan) => [plan.id, plan.name])),
      locations: new Map(locations.map((location) => [location.id, location.name])),
    };
  }
}
