import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { forUpdate } from '../common/database';
import { managerOf, type Tx } from '../common/tx';
import { InstanceEntity, SegmentEntity } from './instance.entity';

/**
 * The instance rows billing reads and moves: which instances are due for settlement, their segments, their
 * settled-until marks, and the pages the proof and audit walk. The settlement batch's statements, one each.
 */
@Injectable()
export class InstanceBillingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The distinct hours live instances are next due at before `untilMs`, oldest first, these users left out. */
  async dueHours(untilMs: number, skipUserIds: string[], limit: number): Promise<number[]> {
    const query = this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .select('DISTINCT i.settled_until_ms', 'hour')
      .where('i.settled_until_ms < :untilMs', { untilMs })
      .andWhere(
        new Brackets((q) => q.where('i.terminated_at_ms IS NULL').orWhere('i.terminated_at_ms > i.settled_until_ms')),
      )
      .orderBy('i.settled_until_ms', 'ASC')
      .limit(limit);
    const rows = await skipUsers(query, skipUserIds).getRawMany<{ hour: string | number }>();
    return rows.map((row) => Number(row.hour));
  }

  /** Which of these users own a live instance with billable time before `untilMs` not settled yet. */
  async usersUnsettledBefore(userIds: string[], untilMs: number): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .select('DISTINCT i.user_id', 'userId')
      .where('i.user_id IN (:...userIds)', { userIds })
      .andWhere('i.settled_until_ms < :untilMs', { untilMs })
      .andWhere(
        new Brackets((q) => q.where('i.terminated_at_ms IS NULL').orWhere('i.terminated_at_ms > i.settled_until_ms')),
      )
      .getRawMany<{ userId: string }>();
    return new Set(rows.map((row) => row.userId));
  }

  /** The next page of users owning an instance whose next hour is `hourMs`, keyed by user id (no OFFSET). */
  async usersDueAt(hourMs: number, afterUserId: string, limit: number, skipUserIds: string[]): Promise<string[]> {
    const query = this.dueInstances(this.dataSource.manager, hourMs)
      .select('DISTINCT i.user_id', 'userId')
      .andWhere('i.user_id > :afterUserId', { afterUserId })
      .orderBy('i.user_id', 'ASC')
      .limit(limit);
    const rows = await skipUsers(query, skipUserIds).getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }

  /** The one user's instances with an hour before `untilMs` still to settle: none means the user is settled to then. */
  async countUnsettledBefore(userId: string, untilMs: number): Promise<number> {
    return this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .where('i.user_id = :userId', { userId })
      .andWhere('i.settled_until_ms < :untilMs', { untilMs })
      .andWhere(
        new Brackets((q) => q.where('i.terminated_at_ms IS NULL').orWhere('i.terminated_at_ms > i.settled_until_ms')),
      )
      .getCount();
  }

  /** Those users' instances still due at `hourMs`, locked so a late host event waits for the settlement. */
  lockDueInstances(tx: Tx, hourMs: number, userIds: string[]): Promise<InstanceEntity[]> {
    const query = this.dueInstances(managerOf(tx), hourMs)
      .andWhere('i.user_id IN (:...userIds)', { userIds })
      .orderBy('i.id', 'ASC');
    return forUpdate(query).getMany();
  }

  private dueInstances(manager: EntityManager, hourMs: number): SelectQueryBuilder<InstanceEntity> {
    return manager
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .where('i.settled_until_ms = :hourMs', { hourMs })
      .andWhere(
        new Brackets((q) => q.where('i.terminated_at_ms IS NULL').orWhere('i.terminated_at_ms > :hourMs', { hourMs })),
      );
  }

  /** Segments of these instances that overlap [fromMs, toMs). */
  segmentsOverlapping(tx: Tx, instanceIds: string[], fromMs: number, toMs: number): Promise<SegmentEntity[]> {
    return managerOf(tx)
      .getRepository(SegmentEntity)
      .createQueryBuilder('s')
      .where('s.instance_id IN (:...instanceIds)', { instanceIds })
      .andWhere('s.started_at_ms < :toMs', { toMs })
      .andWhere(new Brackets((q) => q.where('s.ended_at_ms IS NULL').orWhere('s.ended_at_ms > :fromMs', { fromMs })))
      .orderBy('s.started_at_ms', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  async markSettled(tx: Tx, instanceIds: string[], settledUntilMs: number): Promise<void> {
    await managerOf(tx)
      .getRepository(InstanceEntity)
      .update({ id: In(instanceIds) }, { settledUntilMs });
  }

  find(tx: Tx, id: string): Promise<InstanceEntity | null> {
    return managerOf(tx).getRepository(InstanceEntity).findOneBy({ id });
  }

  /** The next instances after `afterId`, by id: key pagination stays correct while instances are added. */
  pageAfter(tx: Tx, afterId: string, limit: number): Promise<InstanceEntity[]> {
    return managerOf(tx)
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .where('i.id > :afterId', { afterId })
      .orderBy('i.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Every segment of these instances, in order. */
  segmentsOf(tx: Tx, instanceIds: string[]): Promise<SegmentEntity[]> {
    if (instanceIds.length === 0) return Promise.resolve([]);
    return managerOf(tx)
      .getRepository(SegmentEntity)
      .find({ where: { instanceId: In(instanceIds) }, order: { startedAtMs: 'ASC', id: 'ASC' } });
  }
}

function skipUsers<T extends object>(query: SelectQueryBuilder<T>, userIds: string[]): SelectQueryBuilder<T> {
  return userIds.length === 0 ? query : query.andWhere('i.user_id NOT IN (:...skipUserIds)', { skipUserIds: userIds });
}
