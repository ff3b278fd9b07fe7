import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { monthKey } from '../billing/rating';
import { CLOCK, USER_DIRECTORY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { UserDirectory } from '../host/ports';
import { MeteringLookupService } from '../metering/metering-lookup.service';
import type { ResourceRule } from '../metering/metering.types';
import { SettingsService } from '../settings/settings.service';
import type { MeteredReportLine } from './metered-lines';
import { dayKey, monthHours, reportDays } from './report-calendar';
import {
  DayCharges,
  InstanceHoursRow,
  MeteredRollupRow,
  RerateAdjustmentRow,
  ReportsRepository,
  UsageRollupRow,
} from './reports.repository';

export type { InstanceHoursRow, UsageRollupRow } from './reports.repository';
export type { MeteredReportLine } from './metered-lines';

/** A day's charges (micro-credits): the total, and the shares of resource rules and counters in it. */
export interface DailyCharge extends DayCharges {
  date: string;
}

export interface UsageReportRow extends UsageRollupRow {
  kind: 'instance';
  /**
   * A late event re-rated some of the instance's hours in this month. Per instance: a re-rating moves every
   * plan row of the hours it touches (a late resize moves charge from one plan's row to another's).
   */
  adjusted: boolean;
}

/** One re-rated hour's correction, signed as a charge: positive charged more, negative refunded. */
export interface UsageAdjustment {
  userId: string;
  instanceId: string;
  name: string | null;
  hourStartMs: number;
  /** Micro-credits: the ledger amount negated, so it adds to the costs like a charge. */
  charge: number;
  reason: string;
}

export interface UsageReport {
  month: string;
  /** Whose usage: one user, or null for every user (admins only). */
  userId: string | null;
  /** The currency the reader sees amounts in. */
  view: ViewerCurrency;
  /** Per instance (in name order): its plan rows, then its resource rules, then its counters. */
  rows: (UsageReportRow | MeteredReportLine)[];
  /**
   * Micro-credits: the sum of the rows, converted once rather than summed after rounding. Re-rating moved the
   * rows already, so the adjustments are in it once.
   */
  total: number;
  daily: DailyCharge[];
  /** The month's re-rating corrections by hour: they explain the rows' costs and are not added to them. */
  adjustments: UsageAdjustment[];
}

/** A month being downloaded for every user: which month, its hours, and the currency of the admin downloading it. */
export interface UsageExport {
  month: string;
  hours: { fromMs: number; untilMs: number };
  view: ViewerCurrency;
}

/** One instance on one plan over a span of hours. */
export interface InstanceHoursLine extends InstanceHoursRow {
  kind: 'instance';
}

/**
 * What a user's hours charged, itemised: the hours are attributed as the ledger dates their charge (at the hour's
 * start), not split at a month turn inside an hour as the monthly report's rows are.
 */
export interface HoursCharges {
  userId: string;
  fromMs: number;
  untilMs: number;
  /** Per instance (in name order): its plan rows, then its resource rules, then its counters. */
  rows: (InstanceHoursLine | MeteredReportLine)[];
  /** Micro-credits: the sum of the rows. */
  total: number;
}

const toAdjustment = (row: RerateAdjustmentRow): UsageAdjustment => ({
  userId: row.userId,
  instanceId: row.instanceId,
  name: row.name,
  hourStartMs: row.hourStartMs,
  charge: -row.ledgerAmount,
  reason: row.note ?? 'usage re-rated after a late event',
});

const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const KIND_ORDER = { instance: 0, rule: 1, counter: 2 };
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const itemKey = (line: MeteredReportLine) => (line.kind === 'rule' ? line.rule?.key : line.counter?.key) ?? '';

/**
 * Rows in reading order, the same on both engines (whose collations differ): user, instance name, id; under each
 * instance its plans, then its rules, then its counters, each by key.
 */
type SortedRow =
  (Pick<UsageReportRow, 'userId' | 'instanceId' | 'name' | 'planId'> & { kind: 'instance' }) | MeteredReportLine;

function compareRows(a: SortedRow, b: SortedRow): number {
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  const sameInstance =
    byName.compare(a.name ?? a.instanceId, b.name ?? b.instanceId) || byText(a.instanceId, b.instanceId);
  if (sameInstance !== 0 || a.kind !== b.kind) return sameInstance || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.kind === 'instance' && b.kind === 'instance') return a.planId - b.planId;
  const [x, y] = [a as MeteredReportLine, b as MeteredReportLine];
  return byText(itemKey(x), itemKey(y)) || x.itemId - y.itemId;
}

/** The monthly usage report: a user's own, or an admin's view of one user or everyone. */
@Injectable()
export class UsageReportService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly settings: SettingsService,
    private readonly viewerCurrency: ViewerCurrencyService,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly unitOfWork: UnitOfWork,
    private readonly metering: MeteringLookupService,
  ) {}

  /** The user's own month (default: the current one), in their currency. */
  async forUser(userId: string, month?: string): Promise<UsageReport> {
    return this.build(await this.viewerCurrency.forUser(userId), userId, month);
  }

  /**
   * One user's month, or everyone's without `userId`, in the admin's own currency (their preference, else the
   * default): one currency for every user's rows, so an all-users total adds up.
   */
  async forAdmin(adminId: string, month?: string, userId?: string): Promise<UsageReport> {
    if (userId !== undefined && !(await this.directory.findUser(userId))) {
      throw new NotFoundException(`no user "${userId}"`);
    }
    return this.build(await this.viewerCurrency.forUser(adminId), userId ?? null, month);
  }

  /**
   * What an all-users download of the month is read in: the month (default: the current one, refused when in the
   * future, before anything is sent), its hours and the admin's currency.
   */
  async allUsersExport(adminId: string, requested?: string): Promise<UsageExport> {
    const { timeZone } = await this.settings.get();
    const month = this.checkedMonth(requested, timeZone);
    return { month, hours: monthHours(month, timeZone), view: await this.viewerCurrency.forUser(adminId) };
  }

  /**
   * The next page of an all-users download: the rows of at most `size` users after `after` (null: from the
   * first), in reading order, from one snapshot; null when no user is left. `upto` is where the next page starts.
   */
  async allUsersPage(
    month: UsageExport,
    after: string | null,
    size: number,
  ): Promise<{ rows: UsageReport['rows']; upto: string } | null> {
    return this.unitOfWork.run(
      async (tx) => {
        const upto = await this.repository.nextUserPageEnd(tx, month.month, after, size);
        if (upto === null) return null;
        const page = await this.repository.usersPage(tx, month.month, month.hours, { after, upto });
        const rows = [
          ...page.rows.map((row) => ({
            ...row,
            kind: 'instance' as const,
            adjusted: page.adjustedInstanceIds.has(row.instanceId),
          })),
          ...(await this.meteredLines(page.metered, tx)),
        ].sort(compareRows);
        return { rows, upto };
      },
      { isolation: Isolation.Snapshot },
    );
  }

  /** The next page of every user's re-rating corrections of the month, oldest hour first; empty when done. */
  async allUsersAdjustmentsPage(
    month: UsageExport,
    after: { hourStartMs: number; id: number } | null,
    size: number,
  ): Promise<(UsageAdjustment & { id: number })[]> {
    const rows = await this.unitOfWork.run(
      (tx) => this.repository.rerateAdjustmentsPage(tx, month.hours, after, size),
      { isolation: Isolation.Snapshot },
    );
    return rows.map((row) => ({ ...toAdjustment(row), id: row.id }));
  }

  /** The month's rollup rows of one user, unsorted and without adjustments: what the widget ranks. */
  monthRows(month: string, userId: string): Promise<UsageRollupRow[]> {
    return this.repository.monthRows(month, userId);
  }

  /** Micro-credits the month charged the user for resource rules and counters (the widget adds it to the rows). */
  meteredCharge(month: string, userId: string): Promise<number> {
    return this.repository.meteredCharge(month, userId);
  }

  /**
   * What the user's hours starting in [fromMs, untilMs) charged, per instance and plan, resource rule and counter:
   * the same attribution as the ledger's (an hour's charge, its re-ratings and its late usage reports are all dated
   * at the hour's start), so over the hours whose entries a monthly statement takes the rows add up to those
   * entries, where the monthly report's rows (split at a month turn inside an hour, in a :30 or :45 zone) would not.
   * In a whole-hour zone the hours of a month are its report's rows exactly. Read in `tx` when given (a statement
   * reads it beside the ledger, under the account's lock), else in a snapshot of its own.
   */
  async chargesByHours(userId: string, fromMs: number, untilMs: number, tx?: Tx): Promise<HoursCharges> {
    const read = async (unit: Tx) => {
      const charges = await this.repository.hoursCharges(unit, userId, { fromMs, untilMs });
      return { instances: charges.instances, metered: await this.meteredLines(charges.metered, unit) };
    };
    const { instances, metered } = tx
      ? await read(tx)
      : await this.unitOfWork.run(read, { isolation: Isolation.Snapshot });
    const rows = [...instances.map((row) => ({ ...row, kind: 'instance' as const })), ...metered].sort(compareRows);
    return { userId, fromMs, untilMs, rows, total: rows.reduce((sum, row) => sum + row.charge, 0) };
  }

  private async build(view: ViewerCurrency, userId: string | null, requested?: string): Promise<UsageReport> {
    const { timeZone } = await this.settings.get();
    const now = this.clock.now();
    const month = this.checkedMonth(requested, timeZone);
    // Reads that must agree with each other, from one snapshot.
    const snapshot = await this.unitOfWork.run(
      async (tx) => {
        const read = await this.repository.monthSnapshot(tx, month, monthHours(month, timeZone), userId);
        return { ...read, metered: await this.meteredLines(read.metered, tx) };
      },
      { isolation: Isolation.Snapshot },
    );
    const adjustedInstances = new Set(snapshot.adjustments.map((adjustment) => adjustment.instanceId));
    const rows = [
      ...snapshot.rows.map((row) => ({
        ...row,
        kind: 'instance' as const,
        adjusted: adjustedInstances.has(row.instanceId),
      })),
      ...snapshot.metered,
    ].sort(compareRows);
    return {
      month,
      userId,
      view,
      rows,
      total: rows.reduce((sum, row) => sum + row.charge, 0),
      daily: reportDays(month, dayKey(now, timeZone)).map((date) => ({
        date,
        ...(snapshot.daily.get(date) ?? { charge: 0, rules: 0, counters: 0 }),
      })),
      adjustments: snapshot.adjustments.map(toAdjustment),
    };
  }

  /** The month asked for, else the current one; a month still to come is refused. */
  private checkedMonth(requested: string | undefined, timeZone: string): string {
    const current = monthKey(this.clock.now(), timeZone);
    // Nothing is settled there yet, and a chart of empty days to come would read as a forecast.
    if (requested !== undefined && requested > current) {
      throw invalidField('month', 'notInFuture', `must not be after the current month (${current})`);
    }
    return requested ?? current;
  }

  /** Each rule or counter row with its rule or counter, retired ones included, looked up once per id. */
  private async meteredLines(rows: MeteredRollupRow[], tx: Tx): Promise<MeteredReportLine[]> {
    const ruleIds = [...new Set(rows.filter((row) => row.item === 'rule').map((row) => row.itemId))];
    const rules = new Map<number, ResourceRule | null>();
    for (const id of ruleIds) rules.set(id, await this.metering.rule(id, tx));
    const counters = await this.metering.countersById(
      rows.filter((row) => row.item === 'counter').map((row) => row.itemId),
      tx,
    );
    return rows.map((row) =>
      row.item === 'rule'
        ? { ...row, kind: 'rule', rule: rules.get(row.itemId) ?? null }
        : { ...row, kind: 'counter', counter: counters.get(row.itemId) ?? null },
    );
  }
}
