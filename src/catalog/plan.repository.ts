import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, In } from 'typeorm';
import { PlanEntity, PlanLocationEntity } from './plan.entity';
import { managerOr, type Tx } from '../common/tx';

const IN_ORDER = { sortOrder: 'ASC', id: 'ASC' } as const;

@Injectable()
export class PlanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private plans(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(PlanEntity);
  }

  private planLocations(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(PlanLocationEntity);
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

  exists(tx: Tx, id: number): Promise<boolean> {
    return this.plans(tx).existsBy({ id });
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

  insert(tx: Tx, plan: Omit<PlanEntity, 'id'>): Promise<PlanEntity> {
    return this.plans(tx).save(this.plans(tx).create(plan));
  }

  save(tx: Tx, plan: PlanEntity): Promise<PlanEntity> {
    return this.plans(tx).save(plan);
  }

  async replaceLocations(tx: Tx, planId: number, locationIds: number[]): Promise<void> {
    await this.planLocations(tx).delete({ planId });
    if (locationIds.length > 0) {
      await this.planLocations(tx).insert(locationIds.map((locationId) => ({ planId, locationId })));
    }
  }

  async remove(tx: Tx, id: number): Promise<void> {
    await this.plans(tx).delete({ id });
  }
}
