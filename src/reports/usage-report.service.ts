import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { monthKey } from '../billing/rating';
import { CLOCK, USER_DIRECTORY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { invalidField } from '../common/validation';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { UserDirectory } from '../host/ports';
import { SettingsService } from '../settings/settings.service';
import { dayKey, reportDays } from './report-calendar';
import { ReportsRepository, UsageRollupRow } from './reports.repository';

export interface DailyCharge {
  date: string;
  /** Micro-credits. */
  charge: number;
}

export interface UsageReport {
  month: string;
  /** Whose usage: one user, or null for every user (admins only). */
  userId: string | null;
  /** The currency the reader sees amounts in. */
  view: ViewerCurrency;
  rows: UsageRollupRow[];
  /** Micro-credits: the sum of the rows, converted once rather than summed after rounding. */
  total: number;
  daily: DailyCharge[];
}

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

  private async build(view: ViewerCurrency, userId: string | null, requested?: string): Promise<UsageReport> {
    const { timeZone } = await this.settings.get();
    const now = this.clock.now();
    const current = monthKey(now, timeZone);
    const month = requested ?? current;
    // Nothing is settled there yet, and a chart of empty days to come would read as a forecast.
    if (month > current) {
      throw invalidField('month', 'notInFuture', `must not be after the current month (${current})`);
    }
    const { rows, daily: charges } = await this.repository.monthWithDays(month, userId);
    rows.sort(compareRows);
    return {
      month,
      userId,
      view,
      rows,
      total: rows.reduce((sum, row) => sum + row.charge, 0),
      daily: reportDays(month, dayKey(now, timeZone)).map((date) => ({ date, charge: charges.get(date) ?? 0 })),
    };
  }
}
