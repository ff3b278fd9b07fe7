import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { safeIntegerTransformer } from '../common/column-types';
import { inTransaction } from '../common/transactions';

/** One monthly rollup row (instance, plan, month) with the names a report shows. */
export interface UsageRollupRow {
  userId: string;
  instanceId: string;
  /** Null when the instance row is gone; the report then shows the id. */
  name: string | null;
  planId: number;
  /** Null when the plan was deleted since. */
  planName: string | null;
  locationName: string | null;
  billedSeconds: number;
  /** Micro-credits. */
  charge: number;
  /** Micro-credits per hour on record for the row's latest settled hour. */
  hourlyRate: number | null;
}

type Raw = Record<string, string | number | null>;

/** mysql2 hands BIGINT and SUM() back as strings, SQLite as numbers: both become exact integers or fail. */
const micros = (value: string | number | null): number => safeIntegerTransformer.from(value ?? 0) as number;
const text = (value: string | number | null): string | null => (value === null ? null : String(value));

/**
 * Reads for the usage report and the widget. Only the rollups that settlement keeps (monthly per instance
 * and plan, daily per user) are read: a month's report costs the same however many hours it holds.
 */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The month's rows and its daily totals read from one snapshot (one transaction), so the chart always adds
   * up to the total even while an hour is being settled.
   */
  monthWithDays(month: string, userId: string | null): Promise<{ rows: UsageRollupRow[]; daily: Map<string, number> }> {
    return inTransaction(this.dataSource, async (manager) => ({
      rows: await this.monthRows(month, userId, manager),
      daily: await this.dailyCharges(month, userId, manager),
    }));
  }

  /** The month's rollup rows of one user (through the (user_id, month_key) index), or of every user (null). */
  async monthRows(
    month: string,
    userId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<UsageRollupRow[]> {
    const query = manager
      .createQueryBuilder()
      .from('cloud_billing_monthly_usage', 'm')
      .leftJoin('cloud_billing_instances', 'i', 'i.id = m.instance_id')
      .leftJoin('cloud_billing_plans', 'p', 'p.id = m.plan_id')
      .leftJoin('cloud_billing_locations', 'l', 'l.id = i.location_id')
      .select('m.user_id', 'userId')
      .addSelect('m.instance_id', 'instanceId')
      .addSelect('i.name', 'name')
      .addSelect('m.plan_id', 'planId')
      .addSelect('p.name', 'planName')
      .addSelect('l.name', 'locationName')
      .addSelect('m.billed_seconds', 'billedSeconds')
      .addSelect('m.charge', 'charge')
      .addSelect('m.hourly_rate', 'hourlyRate')
      .where('m.month_key = :month', { month });
    const rows = await forUser(query, 'm', userId).getRawMany<Raw>();
    return rows.map((row) => ({
      userId: String(row.userId),
      instanceId: String(row.instanceId),
      name: text(row.name),
      planId: Number(row.planId),
      planName: text(row.planName),
      locationName: text(row.locationName),
      billedSeconds: micros(row.billedSeconds),
      charge: micros(row.charge),
      hourlyRate: row.hourlyRate === null ? null : micros(row.hourlyRate),
    }));
  }

  /** Micro-credits charged per day of the month ('YYYY-MM-DD' → total); days without a row were free. */
  async dailyCharges(
    month: string,
    userId: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, number>> {
    // Day keys sort as text, so the month is one range of the primary key (or of the day index for everyone).
    const query = manager
      .createQueryBuilder()
      .from('cloud_billing_daily_usage', 'd')
      .select('d.day_key', 'day')
      .addSelect('SUM(d.charge)', 'charge')
      .where('d.day_key >= :first AND d.day_key <= :last', { first: `${month}-01`, last: `${month}-31` })
      .groupBy('d.day_key');
    const rows = await forUser(query, 'd', userId).getRawMany<Raw>();
    return new Map(rows.map((row) => [String(row.day), micros(row.charge)]));
  }
}

function forUser(query: SelectQueryBuilder<object>, alias: string, userId: string | null) {
  return userId === null ? query : query.andWhere(`${alias}.user_id = :userId`, { userId });
}
