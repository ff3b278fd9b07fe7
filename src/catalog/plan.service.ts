import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { definedFields } from '../common/defined';
import { parseCredits } from '../common/money';
import { providedAbove } from '../common/provided-above';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { CatalogUsage } from './catalog-usage';
import {
  NAMED_DEPENDENTS,
  notFound,
  planWithoutPrice,
  slugTaken,
  unknownGroup,
  unknownLocations,
  usedByInstances,
  withUniqueSlug,
} from './catalog.errors';
import type { LocationEntity } from './location.entity';
import { inLocationOrder } from './location-order';
import { LocationRepository } from './location.repository';
import { PlanGroupRepository } from './plan-group.repository';
import type { PlanCreateDto, PlanUpdateDto } from './plan.dto';
import type { PlanEntity } from './plan.entity';
import { PlanRepository } from './plan.repository';

/** A plan with the ids of the locations offering it, in the locations' order. */
export type PlanDetails = PlanEntity & { locationIds: number[] };

type PriceField = 'hourlyPrice' | 'monthlyPrice' | 'stoppedHourlyPrice' | 'suspendedHourlyPrice';
const PRICE_FIELDS: PriceField[] = ['hourlyPrice', 'monthlyPrice', 'stoppedHourlyPrice', 'suspendedHourlyPrice'];

const microsOrNull = (value: string | number | null | undefined) =>
  value === null || value === undefined ? null : parseCredits(value);

@Injectable()
export class PlanService {
  constructor(
    private readonly repository: PlanRepository,
    private readonly groups: PlanGroupRepository,
    private readonly locations: LocationRepository,
    private readonly moduleRef: ModuleRef,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async list(): Promise<PlanDetails[]> {
    return this.withLocations(await this.repository.list(), await this.locations.list());
  }

  async get(id: number): Promise<PlanDetails> {
    const [plan] = await this.withLocations([await this.require(id)], await this.locations.list());
    return plan;
  }

  /** Adds each plan's locations, keeping only those in `locations` and in its order. */
  async withLocations(plans: PlanEntity[], locations: LocationEntity[]): Promise<PlanDetails[]> {
    const byPlan = await this.repository.locationIds(plans.map((plan) => plan.id));
    return plans.map((plan) => ({ ...plan, locationIds: inLocationOrder(byPlan.get(plan.id) ?? [], locations) }));
  }

  async create(dto: PlanCreateDto): Promise<PlanDetails> {
    if (await this.repository.findBySlug(dto.slug)) throw slugTaken('plan', dto.slug);
    await this.checkGroup(dto.groupId);
    const locationIds = dto.locationIds ?? [];
    await this.checkLocations(locationIds);
    const plan: Omit<PlanEntity, 'id'> = {
      groupId: dto.groupId,
      name: dto.name,
      slug: dto.slug,
      vcpus: dto.vcpus,
      ramMb: dto.ramMb,
      diskGb: dto.diskGb,
      bandwidthGb: dto.bandwidthGb ?? 0,
      gpus: dto.gpus ?? 0,
      hourlyPrice: microsOrNull(dto.hourlyPrice),
      monthlyPrice: microsOrNull(dto.monthlyPrice),
      stoppedHourlyPrice: microsOrNull(dto.stoppedHourlyPrice),
      suspendedHourlyPrice: microsOrNull(dto.suspendedHourlyPrice),
      enabled: dto.enabled ?? true,
      sortOrder: dto.sortOrder ?? 0,
    };
    if (plan.hourlyPrice === null && plan.monthlyPrice === null) throw planWithoutPrice();
    const saved = await withUniqueSlug('plan', dto.slug, () =>
      this.unitOfWork.run(
        async (tx) => {
          const inserted = await this.repository.insert(tx, plan);
          await this.repository.replaceLocations(tx, inserted.id, locationIds);
          return inserted;
        },
        { isolation: Isolation.LockedWrites },
      ),
    );
    return this.get(saved.id);
  }

  async update(id: number, dto: PlanUpdateDto): Promise<PlanDetails> {
    const plan = await this.require(id);
    const { locationIds, ...patch } = definedFields(dto);
    if (patch.slug !== undefined && patch.slug !== plan.slug && (await this.repository.findBySlug(patch.slug))) {
      throw slugTaken('plan', patch.slug);
    }
    if (patch.groupId !== undefined) await this.checkGroup(patch.groupId);
    if (locationIds !== undefined) await this.checkLocations(locationIds);

    const next: PlanEntity = { ...plan };
    for (const field of PRICE_FIELDS) {
      if (field in patch) next[field] = microsOrNull(patch[field]);
      delete patch[field];
    }
    Object.assign(next, patch);
    if (next.hourlyPrice === null && next.monthlyPrice === null) throw planWithoutPrice();
    await withUniqueSlug('plan', next.slug, () =>
      this.unitOfWork.run(
        async (tx) => {
          await this.repository.save(tx, next);
          if (locationIds !== undefined) await this.repository.replaceLocations(tx, id, locationIds);
        },
        { isolation: Isolation.LockedWrites },
      ),
    );
    return this.get(id);
  }

  /**
   * Only a plan no instance ever used: usage rows, reports and the re-rating of recent hours read its
   * prices, so a plan billing has seen is retired with `enabled: false` instead. Its location offers go with it.
   */
  async remove(id: number): Promise<void> {
    await this.require(id);
    const used = await providedAbove(this.moduleRef, CatalogUsage).instancesOnPlan(id, NAMED_DEPENDENTS);
    if (used.count > 0) throw usedByInstances('plan', id, used);
    await this.unitOfWork.run((tx) => this.repository.remove(tx, id), { isolation: Isolation.LockedWrites });
  }

  private async require(id: number): Promise<PlanEntity> {
    const plan = await this.repository.find(id);
    if (!plan) throw notFound('plan', id);
    return plan;
  }

  private async checkGroup(groupId: number): Promise<void> {
    if (!(await this.groups.find(groupId))) throw unknownGroup(groupId);
  }

  private async checkLocations(ids: number[]): Promise<void> {
    const found = new Set((await this.locations.findMany(ids)).map((location) => location.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw unknownLocations(missing);
  }
}
