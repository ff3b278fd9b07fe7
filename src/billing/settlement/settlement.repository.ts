import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { forUpdate } from '../../common/database';
import { InstanceEntity, SegmentEntity } from '../../instances/instance.entity';
import type { PlanPricing } from '../rating';
import { InstanceCost, instanceCosts } from '../thresholds/burn-rate';
import { DailyUsageEntity, MonthlyUsageEntity, UsageEntity } from './usage.entity';
import { bulkInsert } from '../../common/bulk-write';
import { inTransaction } from '../../common/transactions';
import { PlanEntity } from '../../catalog/plan.entity';

/** Reads and writes of an hourly settlement; every method takes the batch's transaction. */
@Injectable()
export class SettlementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  /** The earliest hour some live instance still has to settle, if it ended before `untilMs`. */
  async nextHourToSettle(untilMs: number): Promise<number | null> {
    const row = await this.dataSource
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .select('MIN(i.settled_until_ms)', 'hour')
      .where('i.settled_until_ms < :untilMs', { untilMs })
      .andWhere(
        new Brackets((q) => q.where('i.terminated_at_ms IS NULL').orWhere('i.terminated_at_ms > i.settled_until_ms')),
      )
      .getRawOne<{ hour: string | number | null }>();
    return row?.hour === null || row?.hour === undefined ? null : Number(row.hour);
  }

  /** The next page of users owning an instance whose next hour is `hourMs`, keyed by user id (no OFFSET). */
  async usersDueAt(hourMs: number, afterUserId: string, limit: number): Promise<string[]> {
    const rows = await this.dueInstances(this.dataSource.manager, hourMs)
      .select('DISTINCT i.user_id', 'userId')
      .andWhere('i.user_id > :afterUserId', { afterUserId })
      .orderBy('i.user_id', 'ASC')
      .limit(limit)
      .getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }

  /** Those users' instances still due at `hourMs`, locked so a late host event waits for the settlement. */
  lockDueInstances(manager: EntityManager, hourMs: number, userIds: string[]): Promise<InstanceEntity[]> {
    const query = this.dueInstances(manager, hourMs)
      .andWhere('i.user_id IN (:...userIds)', { userIds })
      .orderBy('i.id', 'ASC');
    return forUpdate(query).getMany();
  }

  private dueInstances(manager: EntityManager, hourMs: number) {
    return manager
      .getRepository(InstanceEntity)
      .createQueryBuilder('i')
      .where('i.settled_until_ms = :hourMs', { hourMs })
      .andWhere(
        new Brackets((q) => q.where('i.terminated_at_ms IS NULL').orWhere('i.terminated_at_ms > :hourMs', { hourMs })),
      );
  }

  /** Segments of these instances that overlap [fromMs, toMs). */
  segmentsOverlapping(
    manager: EntityManager,
    instanceIds: string[],
    fromMs: number,
    toMs: number,
  ): Promise<SegmentEntity[]> {
    return manager
      .getRepository(SegmentEntity)
      .createQueryBuilder('s')
      .where('s.instance_id IN (:...instanceIds)', { instanceIds })
      .andWhere('s.started_at_ms < :toMs', { toMs })
      .andWhere(new Brackets((q) => q.where('s.ended_at_ms IS NULL').orWhere('s.ended_at_ms > :fromMs', { fromMs })))
      .orderBy('s.started_at_ms', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  /** The prices rating needs, read through the catalog's entity (the transformer checks the BIGINTs). */
  async planPricing(manager: EntityManager, planIds: number[]): Promise<Map<number, PlanPricing>> {
    if (planIds.length === 0) return new Map();
    const plans = await manager.getRepository(PlanEntity).find({
      select: ['id', 'hourlyPrice', 'monthlyPrice', 'stoppedHourlyPrice', 'suspendedHourlyPrice'],
      where: { id: In(planIds) },
    });
    return new Map(
      plans.map((plan) => [
        plan.id,
        {
          planId: plan.id,
          hourlyPrice: plan.hourlyPrice,
          monthlyPrice: plan.monthlyPrice,
          stoppedHourlyPrice: plan.stoppedHourlyPrice,
          suspendedHourlyPrice: plan.suspendedHourlyPrice,
        },
      ]),
    );
  }

  /** What these live instances cost from now on: their plans' prices and what the cap month (capMonthKey) counted. */
  async liveCosts(manager: EntityManager, live: InstanceEntity[], capMonth: string): Promise<InstanceCost[]> {
    if (live.length === 0) return [];
    const [pricing, monthly] = await Promise.all([
      this.planPricing(manager, [...new Set(live.map((instance) => instance.planId))]),
      this.monthlyUsage(
        manager,
        live.map((instance) => instance.id),
        capMonth,
      ),
    ]);
    return instanceCosts(live, pricing, monthly);
  }

  monthlyUsage(manager: EntityManager, instanceIds: string[], monthKey: string): Promise<MonthlyUsageEntity[]> {
    return manager.getRepository(MonthlyUsageEntity).findBy({ instanceId: In(instanceIds), monthKey });
  }

  async insertUsage(manager: EntityManager, rows: Omit<UsageEntity, 'id'>[]): Promise<void> {
    await bulkInsert(manager, UsageEntity, rows);
  }

  /** Writes the month's new totals (computed under the batch's locks from the rows read before). */
  async saveMonthlyUsage(manager: EntityManager, rows: MonthlyUsageEntity[]): Promise<void> {
    await bulkInsert(manager, MonthlyUsageEntity, rows, {
      key: ['instanceId', 'planId', 'monthKey'],
      update: ['hours', 'billedSeconds', 'charge', 'hourlyRate'],
    });
  }

  /** The day's rollup rows of these users; read and rewritten under the batch's account locks, like the month's. */
  dailyUsage(manager: EntityManager, userIds: string[], dayKey: string): Promise<DailyUsageEntity[]> {
    return manager.getRepository(DailyUsageEntity).findBy({ userId: In(userIds), dayKey });
  }

  async saveDailyUsage(manager: EntityManager, rows: DailyUsageEntity[]): Promise<void> {
    await bulkInsert(manager, DailyUsageEntity, rows, {
      key: ['userId', 'dayKey'],
      update: ['billedSeconds', 'charge'],
    });
  }

  async markSettled(manager: EntityManager, instanceIds: string[], settledUntilMs: number): Promise<void> {
    await manager.getRepository(InstanceEntity).update({ id: In(instanceIds) }, { settledUntilMs });
  }
}
