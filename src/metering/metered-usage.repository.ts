import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, In, IsNull, LessThan, Not } from 'typeorm';
import { safeIntegerTransformer } from '../common/column-types';
import { managerOf, managerOr, type Tx } from '../common/tx';
import { MeteredUsageEntity } from './metered-usage.entity';

const IN_ORDER = { atMs: 'ASC', id: 'ASC' } as const;

@Injectable()
export class MeteredUsageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private reports(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(MeteredUsageEntity);
  }

  findByReportId(reportId: string, tx?: Tx): Promise<MeteredUsageEntity | null> {
    return this.reports(tx).findOneBy({ reportId });
  }

  /** The last reading of the counter on the instance, by time (the later-stored of two at one instant), or null. */
  latestReading(tx: Tx, instanceId: string, counterId: number): Promise<MeteredUsageEntity | null> {
    return this.reports(tx).findOne({
      where: { instanceId, counterId, reading: Not(IsNull()) },
      order: { atMs: 'DESC', id: 'DESC' },
    });
  }

  async insert(tx: Tx, row: Omit<MeteredUsageEntity, 'id'>): Promise<MeteredUsageEntity> {
    const repository = managerOf(tx).getRepository(MeteredUsageEntity);
    return repository.save(repository.create(row));
  }

  /** The instance's reports dated in [fromMs, toMs], by time. */
  ofInstanceBetween(instanceId: string, fromMs: number, toMs: number): Promise<MeteredUsageEntity[]> {
    return this.reports().find({ where: { instanceId, atMs: Between(fromMs, toMs) }, order: IN_ORDER });
  }

  /** Reports of these instances not billed yet and not late, dated before `untilMs`: what settling their hour bills. */
  unbilledBefore(tx: Tx, instanceIds: string[], untilMs: number): Promise<MeteredUsageEntity[]> {
    if (instanceIds.length === 0) return Promise.resolve([]);
    return this.reports(tx).find({
      where: { billedAtMs: IsNull(), instanceId: In(instanceIds), hourStartMs: LessThan(untilMs), late: false },
      order: IN_ORDER,
    });
  }

  ofInstance(tx: Tx, instanceId: string): Promise<MeteredUsageEntity[]> {
    return this.reports(tx).find({ where: { instanceId }, order: IN_ORDER });
  }

  /** Late reports not billed yet, after `afterId` by id: the next page of the late sweep. */
  lateUnbilled(afterId: string, limit: number): Promise<MeteredUsageEntity[]> {
    return this.reports()
      .createQueryBuilder('u')
      .where('u.billed_at_ms IS NULL AND u.late = 1')
      .andWhere('u.id > :afterId', { afterId })
      .orderBy('u.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** A user's late reports not billed yet, read in `tx` after its account was locked. */
  lateUnbilledOfUser(tx: Tx, userId: string): Promise<MeteredUsageEntity[]> {
    return this.reports(tx).find({ where: { billedAtMs: IsNull(), late: true, userId }, order: IN_ORDER });
  }

  /**
   * What the reports of these instances whose hour lies in [fromMs, untilMs) were charged, those billed so far: how
   * many, and the sum in micro-credits. Through the (instance_id, …) index: one user's instances.
   */
  async billedBetween(
    instanceIds: string[],
    fromMs: number,
    untilMs: number,
    tx?: Tx,
  ): Promise<{ reports: number; chargeMicros: number }> {
    if (instanceIds.length === 0) return { reports: 0, chargeMicros: 0 };
    const row = await this.reports(tx)
      .createQueryBuilder('u')
      .select('COUNT(*)', 'reports')
      .addSelect('COALESCE(SUM(u.charge), 0)', 'charge')
      .where('u.instance_id IN (:...instanceIds)', { instanceIds })
      .andWhere('u.hour_start_ms >= :fromMs AND u.hour_start_ms < :untilMs', { fromMs, untilMs })
      .andWhere('u.billed_at_ms IS NOT NULL')
      .getRawOne<{ reports: string | number; charge: string | number }>();
    return {
      reports: Number(row?.reports ?? 0),
      chargeMicros: safeIntegerTransformer.from(row?.charge ?? 0) as number,
    };
  }

  /**
   * Records what billing charged for each report, in one statement per few hundred. Only reports still unbilled are
   * written: the count that comes back tells the caller whether another unit billed one first.
   */
  async markBilled(tx: Tx, billed: BilledReport[], billedAtMs: number): Promise<number> {
    const manager = managerOf(tx);
    const runner = manager.queryRunner;
    if (!runner) throw new Error('markBilled needs the unit of work’s own connection');
    const escape = (name: string) => manager.connection.driver.escape(name);
    let written = 0;
    for (let start = 0; start < billed.length; start += ROWS_PER_UPDATE) {
      const chunk = billed.slice(start, start + ROWS_PER_UPDATE);
      const byId = (column: keyof BilledReport) => ({
        sql: `CASE id ${chunk.map(() => 'WHEN ? THEN ?').join(' ')} END`,
        values: chunk.flatMap((row) => [row.id, row[column]]),
      });
      const [charge, month, day] = [byId('chargeMicros'), byId('monthKey'), byId('dayKey')];
      const result = await runner.query(
        `UPDATE ${escape('cloud_billing_metered_usage')} SET billed_at_ms = ?, charge = ${charge.sql}, ` +
          `month_key = ${month.sql}, day_key = ${day.sql} ` +
          `WHERE id IN (${chunk.map(() => '?').join(', ')}) AND billed_at_ms IS NULL`,
        [billedAtMs, ...charge.values, ...month.values, ...day.values, ...chunk.map((row) => row.id)],
        true,
      );
      written += (result as { affected?: number }).affected ?? 0;
    }
    return written;
  }
}

/** What billing charged for one report, and the month and day of the billing zone it counted in. */
export interface BilledReport {
  id: string;
  chargeMicros: number;
  monthKey: string;
  dayKey: string;
}

const ROWS_PER_UPDATE = 300;
