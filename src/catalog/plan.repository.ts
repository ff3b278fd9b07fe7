import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { PlanEntity, PlanLocationEntity } from './plan.entity';
import { inTransaction } from '../common/transactions';

const IN_ORDER = { sortOrder: 'ASC', id: 'ASC' } as const;

@Injectable()
export class PlanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private plans(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(PlanEntity);
  }

  private planLocations(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(PlanLocationEntity);
  }

  list(): Promise<PlanEntity[]> {
    return this.plans().find({ order: IN_ORDER });
  }

  /** Enabled plans of the given groups (the caller passes the enabled ones). */
  listEnabledIn(groupIds: number[]): Promise<PlanEntity[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    const where: FindOptionsWhere<PlanEntity> = { enabled: true, groupId: In(groupIds) };
    return this.plans().find({ where, order: IN_ORDER });
  }

  find(id: number): Promise<PlanEntity | null> {
    return this.plans().findOneBy({ id });
  }

  exists(id: number, manager?: EntityManager): Promise<boolean> {
    return this.plans(manager).existsBy({ id });
  }

  findBySlug(slug: string): Promise<PlanEntity | null> {
    return this.plans().findOneBy({ slug });
  }

  countInGroup(groupId: number): Promise<number> {
    return this.plans().countBy({ groupId });
  }

  /** The location ids each plan is offered in, unordered. */
  async locationIds(planIds: number[]): Promise<Map<number, number[]>> {
    const byPlan = new Map<number, number[]>(planIds.map((id) => [id, []]));
    if (planIds.length === 0) return byPlan;
    const rows = await this.planLocations().find({ where: { planId: In(planIds) } });
    for (const row of rows) byPlan.get(row.planId)?.push(row.locationId);
    return byPlan;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  insert(plan: Omit<PlanEntity, 'id'>, manager: EntityManager): Promise<PlanEntity> {
    return this.plans(manager).save(this.plans(manager).create(plan));
  }

  save(plan: PlanEntity, manager: EntityManager): Promise<PlanEntity> {
    return this.plans(manager).save(plan);
  }

  async replaceLocations(planId: number, locationIds: number[], manager: EntityManager): Promise<void> {
    await this.planLocations(manager).delete({ planId });
    if (locationIds.length > 0) {
      await this.planLocations(manager).insert(locationIds.map((locationId) => ({ planId, locationId })));
    }
  }

  async remove(id: number): Promise<void> {
    await inTransaction(this.dataSource, (manager) => this.plans(manager).delete({ id }));
  }
}
