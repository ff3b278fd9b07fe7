import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlanGroupEntity } from './plan.entity';
import { managerOr, type Tx } from '../common/tx';

const IN_ORDER = { sortOrder: 'ASC', id: 'ASC' } as const;

@Injectable()
export class PlanGroupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private groups(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(PlanGroupEntity);
  }

  list(): Promise<PlanGroupEntity[]> {
    return this.groups().find({ order: IN_ORDER });
  }

  listEnabled(): Promise<PlanGroupEntity[]> {
    return this.groups().find({ where: { enabled: true }, order: IN_ORDER });
  }

  find(id: number): Promise<PlanGroupEntity | null> {
    return this.groups().findOneBy({ id });
  }

  findBySlug(slug: string): Promise<PlanGroupEntity | null> {
    return this.groups().findOneBy({ slug });
  }

  insert(tx: Tx, group: Omit<PlanGroupEntity, 'id'>): Promise<PlanGroupEntity> {
    return this.groups(tx).save(this.groups(tx).create(group));
  }

  save(tx: Tx, group: PlanGroupEntity): Promise<PlanGroupEntity> {
    return this.groups(tx).save(group);
  }

  async remove(tx: Tx, id: number): Promise<void> {
    await this.groups(tx).delete({ id });
  }
}
