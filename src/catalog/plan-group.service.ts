import { Injectable } from '@nestjs/common';
import { definedFields } from '../common/defined';
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
      this.repository.insert({
        name: dto.name,
        slug: dto.slug,
        description: dto.description ?? null,
        enabled: dto.enabled ?? true,
        sortOrder: dto.sortOrder ?? 0,
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
      this.repository.save(Object.assign(group, patch)),
    );
  }

  /** Only an empty group goes: its plans' instances and prices must not lose their group. */
  async remove(id: number): Promise<void> {
    await this.get(id);
    const count = await this.plans.countInGroup(id);
    if (count > 0) throw groupHasPlans(id, count);
    await this.repository.remove(id);
  }
}
