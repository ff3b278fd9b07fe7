import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { estimateCosts, monthKey, monthWindow, remainingMonthEstimate } from '../billing/rating';
import { SettlementService } from '../billing/settlement/settlement.service';
import { NO_RESOURCES, Resources } from '../catalog/capacity';
import { HypervisorService } from '../catalog/hypervisor.service';
import type { HypervisorView } from '../catalog/hypervisor-view';
import type { PlanEntity } from '../catalog/plan.entity';
import { CatalogLookupService } from '../catalog/catalog-lookup.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { InstanceEntity } from '../instances/instance.entity';
import { InstanceLookupService } from '../instances/instance-lookup.service';
import { InstanceService } from '../instances/instance.service';
import { noRoomToResize } from '../placement/placement.errors';
import { PlacementService } from '../placement/placement.service';
import { hasRoomToResize } from '../placement/resize-room';
import { SettingsService } from '../settings/settings.service';
import { ownOrNotFound, requireLive } from './own-instance';
import { OfferService } from './offer.service';
import { planPricing } from './quote-figures';
import { ResizeRefusal, resizeRefusal } from './resize-rules';

export interface ResizeQuote {
  instance: InstanceEntity;
  target: PlanEntity;
  fromMs: number;
  untilMs: number;
  /** Micro-credits: the rest of the month on the new plan, and on the current one. */
  restOfMonth: number;
  currentRestOfMonth: number;
  hourly: number;
  monthlyCap: number | null;
  refusal: ResizeRefusal | null;
  view: ViewerCurrency;
}

type Room = Pick<HypervisorView, 'capacity' | 'allocated'>;

/** A deleted plan's size is unknown; it is treated as nothing, so growing out of it needs the full new size. */
const sizeOf = (plan: PlanEntity | null): Resources => (plan ? plan : NO_RESOURCES);

/** Moving a user's instance to another plan on the hypervisor it is on. */
@Injectable()
export class ResizeService {
  constructor(
    private readonly instances: InstanceLookupService,
    private readonly lifecycle: InstanceService,
    private readonly catalog: CatalogLookupService,
    private readonly offers: OfferService,
    private readonly hypervisors: HypervisorService,
    private readonly placement: PlacementService,
    private readonly settlement: SettlementService,
    private readonly settings: SettingsService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async quote(userId: string, id: string, planId: number): Promise<ResizeQuote> {
    const { instance, target } = await this.prepare(userId, id, planId);
    const [current, { timeZone }, view, fleet] = await Promise.all([
      this.catalog.plan(instance.planId),
      this.settings.get(),
      this.viewerCurrency.forUser(userId),
      this.hypervisors.fleet(),
    ]);
    // A hypervisor neither reported nor known has no capacity: the instance may only shrink there.
    const hypervisor =
      instance.hypervisorId === null
        ? null
        : (fleet.find((h) => h.hypervisorId === instance.hypervisorId) ?? {
            capacity: NO_RESOURCES,
            allocated: NO_RESOURCES,
          });
    const now = this.clock.now();
    const month = monthKey(now, timeZone);
    const restOn = async (plan: PlanEntity) =>
      remainingMonthEstimate(
        planPricing(plan),
        now,
        timeZone,
        await this.settlement.chargedThisMonth(id, plan.id, month),
      );
    // Shown as the wizard shows a plan: a monthly-only plan's month spread over its hours.
    const { hourly, monthlyCap } = estimateCosts(planPricing(target));
    return {
      instance,
      target,
      fromMs: now.getTime(),
      untilMs: monthWindow(now, timeZone).end.getTime(),
      restOfMonth: await restOn(target),
      currentRestOfMonth: current ? await restOn(current) : 0,
      hourly: monthlyCap === null ? hourly : Math.min(hourly, monthlyCap),
      monthlyCap,
      refusal: await this.refusal(instance, target, this.roomFor(hypervisor, sizeOf(current), target)),
      view,
    };
  }

  /** Records a "resized" event at now, under the hypervisor's placement locks; 409 when it has no room. */
  async resize(userId: string, id: string, planId: number): Promise<InstanceEntity> {
    const { instance, target } = await this.prepare(userId, id, planId);
    const refusal = await this.refusal(instance, target, true);
    if (refusal) throw new ConflictException(refusal.reason);
    const nowMs = this.clock.now().getTime();
    const work = async (tx: Tx, hypervisor: HypervisorView | null) => {
      const locked = ownOrNotFound(await this.instances.findForUpdate(tx, id), userId, id);
      requireLive(locked);
      this.requireNewPlan(locked, planId);
      if (!this.roomFor(hypervisor, sizeOf(await this.catalog.plan(locked.planId)), target)) {
        throw noRoomToResize(locked.hypervisorId as string, target.name);
      }
      // A new segment on the new plan: a new monthly usage row with its own cap.
      await this.lifecycle.transition(tx, locked, 'resized', Math.max(nowMs, locked.lastEventAtMs), planId);
      return locked;
    };
    // On no hypervisor there is no room to lock, but it is still a change of what the instance holds.
    if (instance.hypervisorId === null)
      return this.unitOfWork.run((tx) => work(tx, null), { isolation: Isolation.Placement });
    return this.placement.withHypervisorLocked(instance.hypervisorId, work);
  }

  private async prepare(userId: string, id: string, planId: number) {
    const instance = ownOrNotFound(await this.instances.find(id), userId, id);
    requireLive(instance);
    const target = await this.offers.requirePlan(planId);
    this.requireNewPlan(instance, planId);
    return { instance, target };
  }

  private requireNewPlan(instance: InstanceEntity, planId: number): void {
    if (instance.planId === planId) throw invalidField('planId', 'isNewPlan', `is already the plan of ${instance.id}`);
  }

  /** An instance on no hypervisor the plugin knows of has nothing to check. */
  private roomFor(hypervisor: Room | null, from: Resources, to: Resources): boolean {
    return hypervisor === null || hasRoomToResize(hypervisor.capacity, hypervisor.allocated, from, to);
  }

  private async refusal(instance: InstanceEntity, target: PlanEntity, hasRoom: boolean): Promise<ResizeRefusal | null> {
    const location = instance.locationId === null ? null : await this.offers.locationName(instance.locationId);
    return resizeRefusal({
      planName: target.name,
      planEnabled: await this.offers.isPlanAvailable(target),
      offered: instance.locationId === null || (await this.offers.isOfferedIn(target, instance.locationId)),
      locationName: location,
      hasRoom,
      hypervisorId: instance.hypervisorId,
    });
  }
}
