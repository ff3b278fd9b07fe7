import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, SelectQueryBuilder } from 'typeorm';
import type { CatalogDependents } from '../catalog/catalog-usage';
import { forUpdate } from '../common/database';
import { managerOf, type Tx } from '../common/tx';
import { InstanceEntity, InstanceEventEntity, SegmentEntity } from './instance.entity';
import { noResources, type ResourceQuantities } from './resource-quantities';

@Injectable()
export class InstanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(id: string): Promise<InstanceEntity | null> {
    return this.dataSource.getRepository(InstanceEntity).findOneBy({ id });
  }

  /** The instance row, locked until the transaction ends, so two events for one instance apply one after the other. */
  findForUpdate(tx: Tx, id: string): Promise<InstanceEntity | null> {
    const query = managerOf(tx).getRepository(InstanceEntity).createQueryBuilder('i').where('i.id = :id', { id });
    return forUpdate(query).getOne();
  }

  findEvent(tx: Tx, instanceId: string, type: string, atMs: number): Promise<InstanceEventEntity | null> {
    return managerOf(tx)
      .getRepository(InstanceEventEntity)
      .findOneBy({ instanceId, type: type as InstanceEventEntity['type'], atMs });
  }

  /**
   * New instances with their first segment and "created" event, three multi-row statements for the
   * lot: how a batch of confirmed creations is recorded in one transaction.
   */
  async insertNew(tx: Tx, created: { instance: InstanceEntity; quantities: ResourceQuantities }[]): Promise<void> {
    if (created.length === 0) return;
    const insert = (target: typeof InstanceEntity | typeof SegmentEntity | typeof InstanceEventEntity) =>
      managerOf(tx).createQueryBuilder().insert().into(target).updateEntity(false);
    await insert(InstanceEntity)
      .values(created.map(({ instance }) => instance))
      .execute();
    await insert(SegmentEntity)
      .values(
        created.map(({ instance: i, quantities }) => ({
          instanceId: i.id,
          planId: i.planId,
          state: 'running' as const,
          startedAtMs: i.createdAtMs,
          endedAtMs: null,
          quantities,
        })),
      )
      .execute();
    await insert(InstanceEventEntity)
      .values(
        created.map(({ instance: i, quantities }) => ({
          instanceId: i.id,
          type: 'created' as const,
          atMs: i.createdAtMs,
          planId: i.planId,
          quantities,
        })),
      )
      .execute();
  }

  async saveInstance(tx: Tx, instance: InstanceEntity): Promise<void> {
    await managerOf(tx).getRepository(InstanceEntity).save(instance);
  }

  async recordEvent(tx: Tx, event: Omit<InstanceEventEntity, 'id'>): Promise<void> {
    await managerOf(tx).getRepository(InstanceEventEntity).insert(event);
  }

  async openSegment(tx: Tx, segment: Omit<SegmentEntity, 'id' | 'endedAtMs'>): Promise<void> {
    await managerOf(tx)
      .getRepository(SegmentEntity)
      .insert({ ...segment, endedAtMs: null });
  }

  /** The segment still open (none once terminated), read in the caller's transaction, which has locked the instance. */
  findOpenSegment(tx: Tx, instanceId: string): Promise<SegmentEntity | null> {
    return managerOf(tx).getRepository(SegmentEntity).findOneBy({ instanceId, endedAtMs: IsNull() });
  }

  /** What the open segment holds, read without locks; `{}` once terminated. */
  async openQuantitiesOf(instanceId: string): Promise<ResourceQuantities> {
    const open = await this.dataSource.getRepository(SegmentEntity).findOneBy({ instanceId, endedAtMs: IsNull() });
    return open?.quantities ?? noResources();
  }

  async closeOpenSegment(tx: Tx, instanceId: string, endedAtMs: number): Promise<void> {
    await managerOf(tx).getRepository(SegmentEntity).update({ instanceId, endedAtMs: IsNull() }, { endedAtMs });
  }

  segmentsOf(instanceId: string): Promise<SegmentEntity[]> {
    return this.dataSource
      .getRepository(SegmentEntity)
      .find({ where: { instanceId }, order: { startedAtMs: 'ASC', id: 'ASC' } });
  }

  /** A user's instances that are not terminated, locked for the caller's transaction. */
  lockLiveForUser(tx: Tx, userId: string): Promise<InstanceEntity[]> {
    const query = managerOf(tx)
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .where('i.user_id = :userId', { userId })
      .andWhere("i.state <> 'terminated'")
      .orderBy('i.id', 'ASC');
    return forUpdate(query).getMany();
  }

  /** The user's instances that are not terminated, read without locks (in `tx` when given). */
  liveForUser(userId: string, tx?: Tx): Promise<InstanceEntity[]> {
    return (tx ? managerOf(tx) : this.dataSource.manager)
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .where('i.user_id = :userId', { userId })
      .andWhere("i.state <> 'terminated'")
      .getMany();
  }

  /** Owners of instances billing suspended at or before `beforeMs`. */
  async usersSuspendedByBillingSince(beforeMs: number): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .select('DISTINCT i.user_id', 'userId')
      .where("i.state = 'suspended'")
      .andWhere('i.billing_suspended_at_ms <= :beforeMs', { beforeMs })
      .orderBy('i.user_id', 'ASC')
      .getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }

  /** Instances whose plan is `planId` now or was in any segment; a segment never outlives its instance row. */
  dependentsOfPlan(planId: number, sampleSize: number): Promise<CatalogDependents> {
    const query = this.instances()
      .where('i.plan_id = :planId', { planId })
      .orWhere((outer) => {
        const segments = outer
          .subQuery()
          .select('1')
          .from(SegmentEntity, 's')
          .where('s.instance_id = i.id')
          .andWhere('s.plan_id = :planId')
          .getQuery();
        return `EXISTS ${segments}`;
      });
    return this.countWithSample(query, sampleSize);
  }

  dependentsOfLocation(locationId: number, sampleSize: number): Promise<CatalogDependents> {
    return this.countWithSample(this.instances().where('i.location_id = :locationId', { locationId }), sampleSize);
  }

  private instances(): SelectQueryBuilder<InstanceEntity> {
    return this.dataSource.getRepository(InstanceEntity).createQueryBuilder('i');
  }

  private async countWithSample(
    query: SelectQueryBuilder<InstanceEntity>,
    sampleSize: number,
  ): Promise<CatalogDependents> {
    const count = await query.getCount();
    if (count === 0) return { count, sampleIds: [] };
    const sample = await query.clone().select('i.id', 'id').orderBy('i.id', 'ASC').limit(sampleSize).getRawMany();
    return { count, sampleIds: sample.map((row: { id: string }) => row.id) };
  }

  listForUser(userId: string): Promise<InstanceEntity[]> {
    return this.dataSource
      .getRepository(InstanceEntity)
      .find({ where: { userId }, order: { createdAtMs: 'ASC', id: 'ASC' } });
  }
}
