import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { SettlementFailureEntity } from './settlement-failure.entity';
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

  /**
   * The distinct hours live instances are next due at, oldest first: one pass of a run settles each once,
   * so an account far behind moves one hour per pass while everyone else's current hour is settled in the
   * first. Accounts that failed in this run are left out until the next.
   */
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

  /** The next page of users owning an instance whose next hour is `hourMs`, keyed by user id (no OFFSET). */
  async usersDueAt(hourMs: number, afterUserId: string, limit: number, skipUserIds: string[] = []): Promise<string[]> {
    const query = this.dueInstances(this.dataSource.manager, hourMs)
      .select('DISTINCT i.user_id', 'userId')
      .andWhere('i.user_id > :afterUserId', { afterUserId })
      .orderBy('i.user_id', 'ASC')
      .limit(limit);
    const rows = await skipUsers(query, skipUserIds).getRawMany<{ userId: string }>();
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
      select: { id: true, hourlyPrice: true, monthlyPrice: true, stoppedHourlyPrice: true, suspendedHourlyPrice: true },
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
        [capMonth],
      ),
    ]);
    return instanceCosts(live, pricing, monthly);
  }

  /** The same costs outside any transaction, for showing them. */
  liveCostsNow(live: InstanceEntity[], capMonth: string): Promise<InstanceCost[]> {
    return this.liveCosts(this.dataSource.manager, live, capMonth);
  }

  /** What settled hours have charged this instance on this plan in the month: what its cap is measured against. */
  async chargedThisMonth(instanceId: string, planId: number, monthKey: string): Promise<number> {
    const row = await this.dataSource.getRepository(MonthlyUsageEntity).findOneBy({ instanceId, planId, monthKey });
    return row?.charge ?? 0;
  }

  monthlyUsage(manager: EntityManager, instanceIds: string[], monthKeys: string[]): Promise<MonthlyUsageEntity[]> {
    return manager.getRepository(MonthlyUsageEntity).findBy({ instanceId: In(instanceIds), monthKey: In(monthKeys) });
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
  dailyUsage(manager: EntityManager, userIds: string[], dayKeys: string[]): Promise<DailyUsageEntity[]> {
    return manager.getRepository(DailyUsageEntity).findBy({ userId: In(userIds), dayKey: In(dayKeys) });
  }

  async saveDailyUsage(manager: EntityManager, rows: DailyUsageEntity[]): Promise<void> {
    await bulkInsert(manager, DailyUsageEntity, rows, {
      key: ['userId', 'dayKey'],
      update: ['billedSeconds', 'charge'],
    });
  }

  /** The instance's current (not superseded) usage rows of hours in [fromMs, untilMs), locked with the instance. */
  currentUsage(manager: EntityManager, instanceId: string, fromMs: number, untilMs: number): Promise<UsageEntity[]> {
    return manager
      .getRepository(UsageEntity)
      .createQueryBuilder('u')
      .where('u.instance_id = :instanceId', { instanceId })
      .andWhere('u.hour_start_ms >= :fromMs AND u.hour_start_ms < :untilMs', { fromMs, untilMs })
      .andWhere('u.superseded = 0')
      .orderBy('u.hour_start_ms', 'ASC')
      .addOrderBy('u.period_start_ms', 'ASC')
      .getMany();
  }

  /** Marks rows replaced by a re-rating; they stay as the record of what was charged first. */
  async supersede(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length > 0) await manager.getRepository(UsageEntity).update({ id: In(ids) }, { superseded: true });
  }

  async markSettled(manager: EntityManager, instanceIds: string[], settledUntilMs: number): Promise<void> {
    await manager.getRepository(InstanceEntity).update({ id: In(instanceIds) }, { settledUntilMs });
  }

  failures(): Promise<SettlementFailureEntity[]> {
    return this.dataSource.getRepository(SettlementFailureEntity).find({ order: { userId: 'ASC' } });
  }

  /** Records (or counts again) an account's failure, in a transaction of its own: the batch's was rolled back. */
  recordFailure(userId: string, hourStartMs: number, error: string, nowMs: number): Promise<void> {
    return this.transaction(async (manager) => {
      const failures = manager.getRepository(SettlementFailureEntity);
      const known = await failures.findOneBy({ userId });
      await failures.save({
        userId,
        hourStartMs,
        error: error.slice(0, 500),
        attempts: (known?.attempts ?? 0) + 1,
        firstFailedAtMs: known?.firstFailedAtMs ?? nowMs,
        lastFailedAtMs: nowMs,
      });
    });
  }

  async clearFailures(manager: EntityManager, userIds: string[]): Promise<void> {
    if (userIds.length > 0) await manager.getRepository(SettlementFailureEntity).delete({ userId: In(userIds) });
  }
}

function skipUsers<T extends object>(query: SelectQueryBuilder<T>, userIds: string[]): SelectQueryBuilder<T> {
  return userIds.length === 0 ? query : query.andWhere('i.user_id NOT IN (:...skipUserIds)', { skipUserIds: userIds });
}
