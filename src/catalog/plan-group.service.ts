import { Injectable } from '@nestjs/common';
import { definedFields } from '../common/defined';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { newCatalogEntry } from './catalog-entry.dto';
import { groupHasPlans, notFound, slugTaken, withUniqueSlug } from './catalog.errors';
import type { PlanGroupCreateDto, PlanGroupUpdateDto } from './plan-group.dto';
import { PlanGroupRepository } from './plan-group.repository';
import type { PlanGroupEntity } from './plan.entity';
import { PlanRepository } from './plan.repository';

@Injectable()
export class PlanGroupService {
  constructor(
    private readonly repository: PlanGroupRepository,
    private readonly plans: PlanRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  list(): Promise<PlanGroupEntity[]> {
    return this.repository.list();
  }

  async get(id: number): Promise<PlanGroupEntity> {
    const group = await this.repository.find(id);
    if (!group) throw notFound('plan group', id);
    return group;
  }

  async create(dto: PlanGroupCreateDto): Promise<PlanGroupEntity> {
    if (await this.repository.findBySlug(dto.slug)) throw slugTaken('plan group', dto.slug);
    return withUniqueSlug('plan group', dto.slug, () =>
      this.unitOfWork.run((tx) => this.repository.insert(tx, newCatalogEntry(dto)), {
        isolation: Isolation.LockedWrites,
      }),
    );
  }

  async update(id: number, dto: PlanGroupUpdateDto): Promise<PlanGroupEntity> {
    const group = await this.get(id);
    const patch = definedFields(dto);
    if (patch.slug !== undefined && patch.slug !== group.slug && (await this.repository.findBySlug(patch.slug))) {
      throw slugTaken('plan group', patch.slug);
    }
    return withUniqueSlug('plan group', patch.slug ?? group.slug, () =>
      this.unitOfWork.run((tx) => this.repository.save(tx, Object.assign(group, patch)), {
        isolation: Isolation.LockedWrites,
      }),
    );
  }

  /** Only an empty group goes: its plans' instances and prices must not lose their group. */
  async remove(id: number): Promise<void> {
    await this.get(id);
    const count = await this.plans.countInGroup(id);
    if (count > 0) throw groupHasPlans(id, count);
    await this.unitOfWork.run((tx) => this.repository.remove(tx, id), { isolation: Isolation.LockedWrites });
  }
}
