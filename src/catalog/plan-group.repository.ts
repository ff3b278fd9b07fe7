import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PlanGroupEntity } from './plan.entity';

const IN_ORDER = { sortOrder: 'ASC', id: 'ASC' } as const;

@Injectable()
export class PlanGroupRepository {
  constructor(@InjectRepository(PlanGroupEntity) private readonly groups: Repository<PlanGroupEntity>) {}

  list(): Promise<PlanGroupEntity[]> {
    return this.groups.find({ order: IN_ORDER });
  }

  listEnabled(): Promise<PlanGroupEntity[]> {
    return this.groups.find({ where: { enabled: true }, order: IN_ORDER });
  }

  find(id: number): Promise<PlanGroupEntity | null> {
    return this.groups.findOneBy({ id });
  }

  findBySlug(slug: string): Promise<PlanGroupEntity | null> {
    return this.groups.findOneBy({ slug });
  }

  insert(group: Omit<PlanGroupEntity, 'id'>): Promise<PlanGroupEntity> {
    return this.groups.save(this.groups.create(group));
  }

  save(group: PlanGroupEntity): Promise<PlanGroupEntity> {
    return this.groups.save(group);
  }

  async remove(id: number): Promise<void> {
    await this.groups.delete({ id });
  }
}
