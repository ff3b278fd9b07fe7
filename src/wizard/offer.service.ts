import { Injectable } from '@nestjs/common';
import { AccountRepository } from '../accounts/account.repository';
import { notFound } from '../catalog/catalog.errors';
import { hasCapacity } from '../catalog/catalog.service';
import { HypervisorService } from '../catalog/hypervisor.service';
import type { LocationEntity } from '../catalog/location.entity';
import { LocationRepository } from '../catalog/location.repository';
import { PlanGroupRepository } from '../catalog/plan-group.repository';
import type { PlanEntity } from '../catalog/plan.entity';
import { PlanRepository } from '../catalog/plan.repository';
import { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { SettingsEntity } from '../settings/settings.entity';
import { SettingsService } from '../settings/settings.service';
import { creationRefusal, Refusal } from './creation-rules';

/** A plan in a location as one user would get it now. */
export interface Offer {
  plan: PlanEntity;
  location: LocationEntity;
  /** Micro-credits. */
  balance: number;
  settings: SettingsEntity;
  refusal: Refusal | null;
}

/** Resolves a plan and a location for a user and applies the creation rules: what the quote and creation share. */
@Injectable()
export class OfferService {
  constructor(
    private readonly plans: PlanRepository,
    private readonly groups: PlanGroupRepository,
    private readonly locations: LocationRepository,
    private readonly hypervisors: HypervisorService,
    private readonly accounts: AccountRepository,
    private readonly settings: SettingsService,
    private readonly viewerCurrency: ViewerCurrencyService,
  ) {}

  /**
   * Unknown ids are a 404. `checkCapacity: false` leaves capacity to placement, which decides it
   * under the location's lock; the quote reads it from the fleet as it is now.
   */
  async assess(userId: string, planId: number, locationId: number, checkCapacity: boolean): Promise<Offer> {
    const [plan, location] = await Promise.all([this.plans.find(planId), this.locations.find(locationId)]);
    if (!plan) throw notFound('plan', planId);
    if (!location) throw notFound('location', locationId);
    const [group, offeredIn, account, settings, fleet] = await Promise.all([
      this.groups.find(plan.groupId),
      this.plans.locationIds([plan.id]),
      this.accounts.findAccount(userId),
      this.settings.get(),
      checkCapacity ? this.hypervisors.fleet() : null,
    ]);
    const balance = account?.balance ?? 0;
    // Only a negative balance is shown in a reason: the user's currency is read for that alone.
    const shownBalance = balance < 0 ? (await this.viewerCurrency.forUser(userId)).money(balance).formatted : '';
    const refusal = creationRefusal(
      {
        planName: plan.name,
        planEnabled: plan.enabled && group?.enabled === true,
        locationName: location.name,
        locationEnabled: location.enabled,
        offered: (offeredIn.get(plan.id) ?? []).includes(location.id),
        hasCapacity: fleet === null || hasCapacity(location.id, fleet, plan),
        balance,
        allowCreateOnNegativeBalance: settings.allowCreateOnNegativeBalance,
      },
      () => shownBalance,
    );
    return { plan, location, balance, settings, refusal };
  }

  async requirePlan(planId: number): Promise<PlanEntity> {
    const plan = await this.plans.find(planId);
    if (!plan) throw notFound('plan', planId);
    return plan;
  }

  /** Enabled, in an enabled group. */
  async isPlanAvailable(plan: PlanEntity): Promise<boolean> {
    return plan.enabled && (await this.groups.find(plan.groupId))?.enabled === true;
  }

  async isOfferedIn(plan: PlanEntity, locationId: number): Promise<boolean> {
    return ((await this.plans.locationIds([plan.id])).get(plan.id) ?? []).includes(locationId);
  }

  async locationName(locationId: number): Promise<string | null> {
    return (await this.locations.find(locationId))?.name ?? null;
  }

  /** Plan and location names for listing instances; a deleted one shows as null. */
  async names(): Promise<{ plans: Map<number, string>; locations: Map<number, string> }> {
    const [plans, locations] = await Promise.all([this.plans.list(), this.locations.list()]);
    return {
      plans: new Map(plans.map((plan) => [plan.id, plan.name])),
      locations: new Map(locations.map((location) => [location.id, location.name])),
    };
  }
}
