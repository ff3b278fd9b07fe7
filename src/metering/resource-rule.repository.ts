import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, In } from 'typeorm';
import { forUpdate } from '../common/database';
import { managerOr, type Tx } from '../common/tx';
import { ResourceRuleEntity } from './resource-rule.entity';
import { LIVE } from './retirable.entity';

const IN_ORDER = { key: 'ASC', id: 'ASC' } as const;

export type ResourceRuleFields = Omit<
  ResourceRuleEntity,
  'id' | 'planId' | 'createdAtMs' | 'retiredAtMs' | 'liveMarker'
>;

@Injectable()
export class ResourceRuleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rules(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(ResourceRuleEntity);
  }

  listOfPlan(planId: number, includeRetired: boolean): Promise<ResourceRuleEntity[]> {
    const where: FindOptionsWhere<ResourceRuleEntity> = includeRetired ? { planId } : { planId, liveMarker: LIVE };
    return this.rules().find({ where, order: IN_ORDER });
  }

  /** Every rule of the plans, retired ones included. */
  ofPlans(planIds: number[], tx?: Tx): Promise<ResourceRuleEntity[]> {
    if (planIds.length === 0) return Promise.resolve([]);
    return this.rules(tx).find({ where: { planId: In(planIds) }, order: IN_ORDER });
  }

  find(id: number, tx?: Tx): Promise<ResourceRuleEntity | null> {
    return this.rules(tx).findOneBy({ id });
  }

  /** The rule, locked until the unit of work ends, so a concurrent change or deletion waits for this one. */
  lock(tx: Tx, id: number): Promise<ResourceRuleEntity | null> {
    return forUpdate(this.rules(tx).createQueryBuilder('rule').where('rule.id = :id', { id })).getOne();
  }

  insert(tx: Tx, rule: Omit<ResourceRuleEntity, 'id'>): Promise<ResourceRuleEntity> {
    return this.rules(tx).save(this.rules(tx).create(rule));
  }

  async update(tx: Tx, id: number, fields: ResourceRuleFields): Promise<void> {
    await this.rules(tx).update({ id }, fields);
  }

  async retire(tx: Tx, id: number, atMs: number): Promise<void> {
    await this.rules(tx).update({ id, liveMarker: LIVE }, { retiredAtMs: atMs, liveMarker: null });
  }
}
