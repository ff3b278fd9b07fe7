import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { monthKey } from '../billing/rating';
import { CLOCK, USER_DIRECTORY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { UserDirectory } from '../host/ports';
import { SettingsService } from '../settings/settings.service';
import { dayKey, monthHours, reportDays } from './report-calendar';
import { RerateAdjustmentRow, ReportsRepository, UsageRollupRow } from './reports.repository';

export type { UsageRollupRow } from './reports.repository';

export interface DailyCharge {
  date: string;
  /** Micro-credits. */
  charge: number;
}

export interface UsageReportRow extends UsageRollupRow {
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
  rows: UsageReportRow[];
  /**
   * Micro-credits: the sum of the rows, converted once rather than summed after rounding. Re-rating moved the
   * rows already, so the adjustments are in it once.
   */
  total: number;
  daily: DailyCharge[];
  /** The month's re-rating corrections by hour: they explain the rows' costs and are not added to them. */
  adjustments: UsageAdjustment[];
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

/** Rows in reading order, the same on both engines (whose collations differ): user, instance name, id, plan. */
function compareRows(a: UsageRollupRow, b: UsageRollupRow): number {
  if (a.userId !== b.userId) return a.userId < b.userId ? -1 : 1;
  return (
    byName.compare(a.name ?? a.instanceId, b.name ?? b.instanceId) ||
    (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0) ||
    a.planId - b.planId
  );
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

  /** The month's rollup rows of one user, unsorted and without adjustments: what the widget ranks. */
  monthRows(month: string, userId: string): Promise<UsageRollupRow[]> {
    return this.repository.monthRows(month, userId);
  }

  private async build(view: ViewerCurrency, userId: string | null, requested?: string): Promise<UsageReport> {
    const { timeZone } = await this.settings.get();
    const now = this.clock.now();
    const current = monthKey(now, timeZone);
    const month = requested ?? current;
    // Nothing is settled there yet, and a chart of empty days to come would read as a forecast.
    if (month > current) {
      throw invalidField('month', 'notInFuture', `must not be after the current month (${current})`);
    }
    // Three reads that must agree with each other, from one snapshot.
    const snapshot = await this.unitOfWork.run(
      (tx) => this.repository.monthSnapshot(tx, month, monthHours(month, timeZone), userId),
      { isolation: Isolation.Snapshot },
    );
    const adjustedInstances = new Set(snapshot.adjustments.map((adjustment) => adjustment.instanceId));
    const rows = snapshot.rows
      .sort(compareRows)
      .map((row) => ({ ...row, adjusted: adjustedInstances.has(row.instanceId) }));
    return {
      month,
      userId,
      view,
      rows,
      total: rows.reduce((sum, row) => sum + row.charge, 0),
      daily: reportDays(month, dayKey(now, timeZone)).map((date) => ({ date, charge: snapshot.daily.get(date) ?? 0 })),
      adjustments: snapshot.adjustments.map(toAdjustment),
    };
  }
}
