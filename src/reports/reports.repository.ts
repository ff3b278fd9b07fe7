import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { safeIntegerTransformer } from '../common/column-types';
import { managerOf, type Tx } from '../common/tx';

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

/** What one instance's resource rule or metered counter came to in the month (cloud_billing_metered_monthly). */
export interface MeteredRollupRow {
  userId: string;
  instanceId: string;
  /** Null when the instance row is gone; the report then shows the id. */
  name: string | null;
  item: 'rule' | 'counter';
  /** The rule's or the counter's id. */
  itemId: number;
  /** Scaled by 10^6: quantity-seconds for a postpaid rule, units charged for a prepaid one, usage for a counter. */
  quantity: number;
  /** Micro-credits. */
  charge: number;
}

/** A day's charges in micro-credits: the total, and the shares of resource rules and counters in it. */
export interface DayCharges {
  charge: number;
  rules: number;
  counters: number;
}

/** A re-rating's correction of one settled hour of one instance, as the ledger holds it. */
export interface RerateAdjustmentRow {
  userId: string;
  instanceId: string;
  /** Null when the instance row is gone; the report then shows the id. */
  name: string | null;
  hourStartMs: number;
  /** Micro-credits as posted: positive credited the account (a refund), negative debited it. */
  ledgerAmount: number;
  note: string | null;
}

/** The month's rollup rows, its daily totals and the re-rating adjustments of its hours, from one snapshot. */
export interface MonthSnapshot {
  rows: UsageRollupRow[];
  metered: MeteredRollupRow[];
  daily: Map<string, DayCharges>;
  adjustments: RerateAdjustmentRow[];
}

/** What one instance on one plan was charged for a span of hours (its current usage rows, re-ratings applied). */
export interface InstanceHoursRow {
  userId: string;
  instanceId: string;
  /** Null when the instance row is gone; the report then shows the id. */
  name: string | null;
  planId: number;
  /** Null when the plan was deleted since. */
  planName: string | null;
  billedSeconds: number;
  /** Micro-credits. */
  charge: number;
}

/** The span's charges from the rows settlement, re-rating and late usage billing write, per instance and item. */
export interface HoursChargeRows {
  instances: InstanceHoursRow[];
  /** Rules and counters, their quantities as the monthly rollup counts them (MeteredRollupRow.quantity). */
  metered: MeteredRollupRow[];
}

type Raw = Record<string, string | number | null>;

/**
 * A BIGINT column or a SUM() of one (micro-credits, seconds, epoch ms) as an exact integer, or a RangeError: mysql2
 * hands both back as strings, SQLite as numbers. An empty SUM (null) is 0.
 */
const exactInteger = (value: string | number | null): number => safeIntegerTransformer.from(value ?? 0) as number;
const text = (value: string | number | null): string | null => (value === null ? null : String(value));

/**
 * Reads for the usage report and the widget. Only the rollups that settlement keeps (monthly per instance
 * and plan, daily per user) are read: a month's report costs the same however many hours it holds. The
 * ledger is read for re-rating adjustments only, which are rare.
 */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The month's rows, daily totals and adjustments, read in `tx` (a snapshot: Isolation.Snapshot) so the chart
   * always adds up to the total, and a re-rating is either in the rows and the adjustments or in neither,
   * even while an hour is being settled or re-rated.
   */
  async monthSnapshot(
    tx: Tx,
    month: string,
    hours: { fromMs: number; untilMs: number },
    userId: string | null,
  ): Promise<MonthSnapshot> {
    const manager = managerOf(tx);
    return {
      rows: await this.rollupRows(manager, month, userId),
      metered: await this.meteredRows(manager, month, userId),
      daily: await this.dailyCharges(manager, month, userId),
      adjustments: await this.rerateAdjustments(manager, hours, userId),
    };
  }

  /** The month's rollup rows of one user (through the (user_id, month_key) index), or of every user (null). */
  monthRows(month: string, userId: string | null): Promise<UsageRollupRow[]> {
    return this.rollupRows(this.dataSource.manager, month, userId);
  }

  /**
   * The last user of the next page of the month's users after `after` (null: from the first), at most `size` users
   * of those with rows in either monthly rollup, or null when none is left. Keyset pagination in the database's own
   * order of user ids (each table read through its (user_id, month_key) index, at most `size` ids each), so the
   * pages partition the users whatever the column's collation: a page is the range (after, upto].
   */
  async nextUserPageEnd(tx: Tx, month: string, after: string | null, size: number): Promise<string | null> {
    const from = (table: string) =>
      `SELECT user_id FROM (SELECT DISTINCT user_id FROM ${table} WHERE month_key = ?` +
      `${after === null ? '' : ' AND user_id > ?'} ORDER BY user_id LIMIT ${Number(size)}) ${table}_page`;
    const params = after === null ? [month, month] : [month, after, month, after];
    const [row] = (await managerOf(tx).query(
      `SELECT MAX(user_id) AS upto FROM (SELECT user_id FROM (${from('cloud_billing_monthly_usage')} UNION ` +
        `${from('cloud_billing_metered_monthly')}) users ORDER BY user_id LIMIT ${Number(size)}) page`,
      params,
    )) as Raw[];
    return row?.upto === null || row?.upto === undefined ? null : String(row.upto);
  }

  /**
   * The month's rows of the users in (after, upto] (after null: from the first), and which of their instances a
   * re-rating adjusted in the month's hours: one page of the all-users download, read in `tx`.
   */
  async usersPage(
    tx: Tx,
    month: string,
    hours: { fromMs: number; untilMs: number },
    users: { after: string | null; upto: string },
  ): Promise<{ rows: UsageRollupRow[]; metered: MeteredRollupRow[]; adjustedInstanceIds: Set<string> }> {
    const manager = managerOf(tx);
    const adjusted = await inUsers(rerateAdjustmentsQuery(manager, hours), 'e', users)
      .select('e.instance_id', 'instanceId')
      .distinct(true)
      .orderBy()
      .getRawMany<Raw>();
    return {
      rows: await this.rollupRows(manager, month, null, users),
      metered: await this.meteredRows(manager, month, null, users),
      adjustedInstanceIds: new Set(adjusted.map((row) => String(row.instanceId))),
    };
  }

  /**
   * Every user's re-rating adjustments of the month's hours after `after` (an hour and an entry id; null: from the
   * first), at most `size` of them, oldest hour first: keyset pagination over the ledger for the all-users download.
   */
  async rerateAdjustmentsPage(
    tx: Tx,
    hours: { fromMs: number; untilMs: number },
    after: { hourStartMs: number; id: number } | null,
    size: number,
  ): Promise<(RerateAdjustmentRow & { id: number })[]> {
    const query = rerateAdjustmentsQuery(managerOf(tx), hours).addSelect('e.id', 'id').limit(size);
    if (after !== null) {
      query.andWhere('(e.hour_start_ms > :afterHour OR (e.hour_start_ms = :afterHour AND e.id > :afterId))', {
        afterHour: after.hourStartMs,
        afterId: after.id,
      });
    }
    const rows = await query.getRawMany<Raw>();
    return rows.map((row) => ({ ...rerateAdjustmentOf(row), id: Number(row.id) }));
  }

  /**
   * What one user's hours starting in [fromMs, untilMs) charged, from the rows the ledger's hour charges and engine
   * adjustments are the sums of (the audit checks that identity per account-hour, billing/proof): current usage rows
   * and rule usage rows (a re-rating supersedes a row and adds its next revision), and billed usage reports, late
   * ones included (billed as adjustments dated in their hour). Grouped per instance and plan, rule, counter. Read in
   * `tx`, so it agrees with the ledger entries read there. The rows go through their (user_id, hour_start_ms) index,
   * the reports through the user's instances.
   */
  async hoursCharges(tx: Tx, userId: string, hours: { fromMs: number; untilMs: number }): Promise<HoursChargeRows> {
    const manager = managerOf(tx);
    const inHours = (alias: string) => `${alias}.hour_start_ms >= :fromMs AND ${alias}.hour_start_ms < :untilMs`;
    const instanceRows = await manager
      .createQueryBuilder()
      .from('cloud_billing_usage', 'u')
      .leftJoin('cloud_billing_instances', 'i', 'i.id = u.instance_id')
      .leftJoin('cloud_billing_plans', 'p', 'p.id = u.plan_id')
      .select('u.instance_id', 'instanceId')
      .addSelect('i.name', 'name')
      .addSelect('u.plan_id', 'planId')
      .addSelect('p.name', 'planName')
      .addSelect('SUM(u.billed_seconds)', 'billedSeconds')
      .addSelect('SUM(u.charge)', 'charge')
      .where('u.user_id = :userId AND u.superseded = 0', { userId })
      .andWhere(inHours('u'), hours)
      .groupBy('u.instance_id')
      .addGroupBy('i.name')
      .addGroupBy('u.plan_id')
      .addGroupBy('p.name')
      .getRawMany<Raw>();
    const ruleRows = await manager
      .createQueryBuilder()
      .from('cloud_billing_rule_usage', 'r')
      .leftJoin('cloud_billing_instances', 'i', 'i.id = r.instance_id')
      .select('r.instance_id', 'instanceId')
      .addSelect('i.name', 'name')
      .addSelect('r.rule_id', 'itemId')
      .addSelect('SUM(COALESCE(r.charged_quantity, r.quantity_seconds))', 'quantity')
      .addSelect('SUM(r.charge)', 'charge')
      .where('r.user_id = :userId AND r.superseded = 0', { userId })
      .andWhere(inHours('r'), hours)
      .groupBy('r.instance_id')
      .addGroupBy('i.name')
      .addGroupBy('r.rule_id')
      .getRawMany<Raw>();
    const counterRows = await manager
      .createQueryBuilder()
      .from('cloud_billing_metered_usage', 'c')
      .leftJoin('cloud_billing_instances', 'i', 'i.id = c.instance_id')
      .select('c.instance_id', 'instanceId')
      .addSelect('i.name', 'name')
      .addSelect('c.counter_id', 'itemId')
      .addSelect('SUM(c.quantity)', 'quantity')
      .addSelect('SUM(c.charge)', 'charge')
      .where('c.user_id = :userId AND c.billed_at_ms IS NOT NULL', { userId })
      // Through the (instance_id, …) index rather than a scan of every user's reports of the span.
      .andWhere('c.instance_id IN (SELECT o.id FROM cloud_billing_instances o WHERE o.user_id = :userId)')
      .andWhere(inHours('c'), hours)
      .groupBy('c.instance_id')
      .addGroupBy('i.name')
      .addGroupBy('c.counter_id')
      .getRawMany<Raw>();
    const meteredOf =
      (item: 'rule' | 'counter') =>
      (row: Raw): MeteredRollupRow => ({
        userId,
        instanceId: String(row.instanceId),
        name: text(row.name),
        item,
        itemId: Number(row.itemId),
        quantity: exactInteger(row.quantity),
        charge: exactInteger(row.charge),
      });
    return {
      instances: instanceRows.map((row) => ({
        userId,
        instanceId: String(row.instanceId),
        name: text(row.name),
        planId: Number(row.planId),
        planName: text(row.planName),
        billedSeconds: exactInteger(row.billedSeconds),
        charge: exactInteger(row.charge),
      })),
      metered: [...ruleRows.map(meteredOf('rule')), ...counterRows.map(meteredOf('counter'))],
    };
  }

  /** Micro-credits the month charged for one user's resource rules and counters. */
  async meteredCharge(month: string, userId: string): Promise<number> {
    const row = await this.dataSource.manager
      .createQueryBuilder()
      .from('cloud_billing_metered_monthly', 'm')
      .select('SUM(m.charge)', 'charge')
      .where('m.user_id = :userId AND m.month_key = :month', { userId, month })
      .getRawOne<Raw>();
    return exactInteger(row?.charge ?? null);
  }

  private async meteredRows(
    manager: EntityManager,
    month: string,
    userId: string | null,
    users?: UserRange,
  ): Promise<MeteredRollupRow[]> {
    const query = monthRollup(manager, 'cloud_billing_metered_monthly', month)
      .addSelect('m.item', 'item')
      .addSelect('m.item_id', 'itemId')
      .addSelect('m.quantity', 'quantity')
      .addSelect('m.charge', 'charge');
    const rows = await inUsers(forUser(query, 'm', userId), 'm', users).getRawMany<Raw>();
    return rows.map((row) => ({
      ...instanceOf(row),
      item: row.item === 'rule' ? 'rule' : 'counter',
      itemId: Number(row.itemId),
      quantity: exactInteger(row.quantity),
      charge: exactInteger(row.charge),
    }));
  }

  private async rollupRows(
    manager: EntityManager,
    month: string,
    userId: string | null,
    users?: UserRange,
  ): Promise<UsageRollupRow[]> {
    const query = monthRollup(manager, 'cloud_billing_monthly_usage', month)
      .leftJoin('cloud_billing_plans', 'p', 'p.id = m.plan_id')
      .leftJoin('cloud_billing_locations', 'l', 'l.id = i.location_id')
      .addSelect('m.plan_id', 'planId')
      .addSelect('p.name', 'planName')
      .addSelect('l.name', 'locationName')
      .addSelect('m.billed_seconds', 'billedSeconds')
      .addSelect('m.charge', 'charge')
      .addSelect('m.hourly_rate', 'hourlyRate');
    const rows = await inUsers(forUser(query, 'm', userId), 'm', users).getRawMany<Raw>();
    return rows.map((row) => ({
      ...instanceOf(row),
      planId: Number(row.planId),
      planName: text(row.planName),
      locationName: text(row.locationName),
      billedSeconds: exactInteger(row.billedSeconds),
      charge: exactInteger(row.charge),
      hourlyRate: row.hourlyRate === null ? null : exactInteger(row.hourlyRate),
    }));
  }

  /** Micro-credits charged per day of the month ('YYYY-MM-DD' → charges); days without a row were free. */
  private async dailyCharges(
    manager: EntityManager,
    month: string,
    userId: string | null,
  ): Promise<Map<string, DayCharges>> {
    // Day keys sort as text, so the month is one range of the primary key (or of the day index for everyone).
    const query = manager
      .createQueryBuilder()
      .from('cloud_billing_daily_usage', 'd')
      .select('d.day_key', 'day')
      .addSelect('SUM(d.charge)', 'charge')
      .addSelect('SUM(d.rule_charge)', 'rules')
      .addSelect('SUM(d.counter_charge)', 'counters')
      .where('d.day_key >= :first AND d.day_key <= :last', { first: `${month}-01`, last: `${month}-31` })
      .groupBy('d.day_key');
    const rows = await forUser(query, 'd', userId).getRawMany<Raw>();
    return new Map(
      rows.map((row) => [
        String(row.day),
        { charge: exactInteger(row.charge), rules: exactInteger(row.rules), counters: exactInteger(row.counters) },
      ]),
    );
  }

  /**
   * The re-rating adjustments for hours in [fromMs, untilMs), in one query, oldest hour first. Only the engine sets
   * an adjustment's instance, so an admin's manual adjustment is not one of them; of the engine's, a late usage
   * report's is the counter's charge (in its line, not a correction) and is left out by its key
   * (billing/rerating/rerate-adjustment-key.ts names re-ratings "rerate:…"). One user's read goes through the
   * (user_id, hour_start_ms) index; everyone's scans the ledger.
   */
  private async rerateAdjustments(
    manager: EntityManager,
    hours: { fromMs: number; untilMs: number },
    userId: string | null,
  ): Promise<RerateAdjustmentRow[]> {
    const rows = await forUser(rerateAdjustmentsQuery(manager, hours), 'e', userId).getRawMany<Raw>();
    return rows.map(rerateAdjustmentOf);
  }
}

/** A monthly rollup table (alias m) of the month, with its user, instance and the instance's name (alias i). */
function monthRollup(manager: EntityManager, table: string, month: string): SelectQueryBuilder<object> {
  return manager
    .createQueryBuilder()
    .from(table, 'm')
    .leftJoin('cloud_billing_instances', 'i', 'i.id = m.instance_id')
    .select('m.user_id', 'userId')
    .addSelect('m.instance_id', 'instanceId')
    .addSelect('i.name', 'name')
    .where('m.month_key = :month', { month });
}

/** Whose row it is: the user, the instance, and the instance's name (null when its row is gone). */
const instanceOf = (row: Raw) => ({
  userId: String(row.userId),
  instanceId: String(row.instanceId),
  name: text(row.name),
});

function forUser(query: SelectQueryBuilder<object>, alias: string, userId: string | null) {
  return userId === null ? query : query.andWhere(`${alias}.user_id = :userId`, { userId });
}

/** A range of user ids, (after, upto] in the database's order (after null: from the first). */
interface UserRange {
  after: string | null;
  upto: string;
}

function inUsers(query: SelectQueryBuilder<object>, alias: string, users: UserRange | undefined) {
  if (users === undefined) return query;
  query.andWhere(`${alias}.user_id <= :uptoUser`, { uptoUser: users.upto });
  return users.after === null ? query : query.andWhere(`${alias}.user_id > :afterUser`, { afterUser: users.after });
}

/** The re-rating adjustments of hours in [fromMs, untilMs), oldest hour first (alias e); see rerateAdjustments. */
function rerateAdjustmentsQuery(manager: EntityManager, hours: { fromMs: number; untilMs: number }) {
  return manager
    .createQueryBuilder()
    .from('cloud_billing_ledger_entries', 'e')
    .leftJoin('cloud_billing_instances', 'i', 'i.id = e.instance_id')
    .select('e.user_id', 'userId')
    .addSelect('e.instance_id', 'instanceId')
    .addSelect('i.name', 'name')
    .addSelect('e.hour_start_ms', 'hourStartMs')
    .addSelect('e.amount', 'amount')
    .addSelect('e.note', 'note')
    .where("e.kind = 'adjustment' AND e.instance_id IS NOT NULL AND e.idempotency_key LIKE 'rerate:%'")
    .andWhere('e.hour_start_ms >= :fromMs AND e.hour_start_ms < :untilMs', hours)
    .orderBy('e.hour_start_ms', 'ASC')
    .addOrderBy('e.id', 'ASC');
}

const rerateAdjustmentOf = (row: Raw): RerateAdjustmentRow => ({
  userId: String(row.userId),
  instanceId: String(row.instanceId),
  name: text(row.name),
  hourStartMs: exactInteger(row.hourStartMs),
  ledgerAmount: exactInteger(row.amount),
  note: text(row.note),
});
