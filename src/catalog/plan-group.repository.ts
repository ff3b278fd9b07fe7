import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { PlanGroupEntity } from './plan.entity';
import { inTransaction } from '../common/transactions';

const IN_ORDER = { sortOrder: 'ASC', id: 'ASC' } as const;

@Injectable()
export class PlanGroupRepository {
  constructor(
    @InjectRepository(PlanGroupEntity) private readonly groups: Repository<PlanGroupEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private write<T>(work: (groups: Repository<PlanGroupEntity>) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, (manager) => work(manager.getRepository(PlanGroupEntity)));
  }

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
    return this.write((groups) => groups.save(groups.create(group)));
  }

  save(group: PlanGroupEntity): Promise<PlanGroupEntity> {
    return this.write((groups) => groups.save(group));
  }

  async remove(id: number): Promise<void> {
    await this.write((groups) => groups.delete({ id }));
  }
}
