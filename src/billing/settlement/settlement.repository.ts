import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, MoreThanOrEqual, Not } from 'typeorm';
import { bulkInsert } from '../../common/bulk-write';
import { managerOf, managerOr, type Tx } from '../../common/tx';
import { MeteredMonthlyEntity } from './metered-monthly.entity';
import { RuleUsageEntity } from './rule-usage.entity';
import { SettlementFailureEntity } from './settlement-failure.entity';
import { DailyUsageEntity, MonthlyUsageEntity, UsageEntity } from './usage.entity';

/** The longest prepaid period (31 days) and the hour it may start in. */
export const PREPAID_LOOKBACK_MS = (31 * 24 + 1) * 3_600_000;

/**
 * Billing's own rows of a settlement: usage, the month's and day's rollups, and the accounts that failed. The
 * instances and prices it settles are the instances' and the catalog's, read through their services.
 */
@Injectable()
export class SettlementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** What settled hours have charged this instance on this plan in the month: what its cap is measured against. */
  async chargedThisMonth(instanceId: string, planId: number, monthKey: string): Promise<number> {
    const row = await this.dataSource.getRepository(MonthlyUsageEntity).findOneBy({ instanceId, planId, monthKey });
    return row?.charge ?? 0;
  }

  /** In `tx` when given one; otherwise outside any transaction, for showing. */
  monthlyUsage(instanceIds: string[], monthKeys: string[], tx?: Tx): Promise<MonthlyUsageEntity[]> {
    const manager = managerOr(tx, this.dataSource);
    return manager.getRepository(MonthlyUsageEntity).findBy({ instanceId: In(instanceIds), monthKey: In(monthKeys) });
  }

  async insertUsage(tx: Tx, rows: Omit<UsageEntity, 'id'>[]): Promise<void> {
    await bulkInsert(managerOf(tx), UsageEntity, rows);
  }

  /** Writes the month's new totals (computed under the batch's locks from the rows read before). */
  async saveMonthlyUsage(tx: Tx, rows: MonthlyUsageEntity[]): Promise<void> {
    await bulkInsert(managerOf(tx), MonthlyUsageEntity, rows, {
      key: ['instanceId', 'planId', 'monthKey'],
      update: ['hours', 'billedSeconds', 'charge', 'hourlyRate'],
    });
  }

  /** The day's rollup rows of these users; read and rewritten under the batch's account locks, like the month's. */
  dailyUsage(tx: Tx, userIds: string[], dayKeys: string[]): Promise<DailyUsageEntity[]> {
    return managerOf(tx)
      .getRepository(DailyUsageEntity)
      .findBy({ userId: In(userIds), dayKey: In(dayKeys) });
  }

  async saveDailyUsage(tx: Tx, rows: DailyUsageEntity[]): Promise<void> {
    await bulkInsert(managerOf(tx), DailyUsageEntity, rows, {
      key: ['userId', 'dayKey'],
      update: ['billedSeconds', 'charge', 'ruleCharge', 'counterCharge'],
    });
  }

  async insertRuleUsage(tx: Tx, rows: Omit<RuleUsageEntity, 'id'>[]): Promise<void> {
    await bulkInsert(managerOf(tx), RuleUsageEntity, rows);
  }

  /** The running totals of rules and counters of these instances in these months. */
  meteredMonthly(instanceIds: string[], monthKeys: string[], tx?: Tx): Promise<MeteredMonthlyEntity[]> {
    if (instanceIds.length === 0) return Promise.resolve([]);
    return managerOr(tx, this.dataSource)
      .getRepository(MeteredMonthlyEntity)
      .findBy({ instanceId: In(instanceIds), monthKey: In(monthKeys) });
  }

  async saveMeteredMonthly(tx: Tx, rows: MeteredMonthlyEntity[]): Promise<void> {
    await bulkInsert(managerOf(tx), MeteredMonthlyEntity, rows, {
      key: ['instanceId', 'item', 'itemId', 'monthKey'],
      update: ['quantity', 'charge'],
    });
  }

  /**
   * The instance's current rule usage rows of hours in [fromMs, untilMs), and every current one-off row (its charge
   * holds for the instance's life), locked with the instance by the caller: what re-rating a late event compares.
   */
  currentRuleUsage(tx: Tx, instanceId: string, fromMs: number, untilMs: number): Promise<RuleUsageEntity[]> {
    return managerOf(tx)
      .getRepository(RuleUsageEntity)
      .createQueryBuilder('r')
      .where('r.instance_id = :instanceId AND r.superseded = 0', { instanceId })
      .andWhere('r.hour_start_ms < :untilMs', { untilMs })
      .andWhere('(r.hour_start_ms >= :fromMs OR r.period_seconds = 0)', { fromMs })
      .orderBy('r.hour_start_ms', 'ASC')
      .addOrderBy('r.period_start_ms', 'ASC')
      .getMany();
  }

  async supersedeRuleUsage(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length > 0)
      await managerOf(tx)
        .getRepository(RuleUsageEntity)
        .update({ id: In(ids) }, { superseded: true });
  }

  /**
   * The current prepaid charges of these instances that can still be in force at `hourMs` (a period is at most 31
   * days; a one-off rule's never ends), oldest first: the latest per rule is what its period is paid for.
   */
  prepaidRows(tx: Tx, instanceIds: string[], hourMs: number): Promise<RuleUsageEntity[]> {
    const current = { instanceId: In(instanceIds), superseded: false, prepaidPeriodStartMs: Not(IsNull()) };
    return managerOf(tx)
      .getRepository(RuleUsageEntity)
      .find({
        where: [
          { ...current, hourStartMs: MoreThanOrEqual(hourMs - PREPAID_LOOKBACK_MS) },
          { ...current, periodSeconds: 0 },
        ],
        order: { hourStartMs: 'ASC', periodStartMs: 'ASC' },
      });
  }

  /** The instance's current (not superseded) usage rows of hours in [fromMs, untilMs), locked with the instance. */
  currentUsage(tx: Tx, instanceId: string, fromMs: number, untilMs: number): Promise<UsageEntity[]> {
    return managerOf(tx)
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
  async supersede(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length > 0)
      await managerOf(tx)
        .getRepository(UsageEntity)
        .update({ id: In(ids) }, { superseded: true });
  }

  failures(): Promise<SettlementFailureEntity[]> {
    return this.dataSource.getRepository(SettlementFailureEntity).find({ order: { userId: 'ASC' } });
  }

  /** Records (or counts again) an account's failure. */
  async recordFailure(tx: Tx, userId: string, hourStartMs: number, error: string, nowMs: number): Promise<void> {
    const failures = managerOf(tx).getRepository(SettlementFailureEntity);
    const known = await failures.findOneBy({ userId });
    await failures.save({
      userId,
      hourStartMs,
      error: error.slice(0, 500),
      attempts: (known?.attempts ?? 0) + 1,
      firstFailedAtMs: known?.firstFailedAtMs ?? nowMs,
      lastFailedAtMs: nowMs,
    });
  }

  async clearFailures(tx: Tx, userIds: string[]): Promise<void> {
    if (userIds.length > 0)
      await managerOf(tx)
        .getRepository(SettlementFailureEntity)
        .delete({ userId: In(userIds) });
  }
}
