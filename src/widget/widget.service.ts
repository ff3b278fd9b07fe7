import { Inject, Injectable } from '@nestjs/common';
import type { AccountStatus } from '../accounts/account-status';
import { AccountService } from '../accounts/account.service';
import { type CreditSplit, GrantService } from '../accounts/grants/grant.service';
import { monthKey } from '../billing/rating';
import { burnRatePerHour, instancesPerHour } from '../billing/thresholds/burn-rate';
import { LiveCostService } from '../billing/thresholds/live-cost.service';
import { Runway, runwayOf } from '../billing/thresholds/runway-projection';
import type { BudgetStatus } from '../budgets/budget-status.service';
import { BudgetService } from '../budgets/budget.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { InstanceLookupService } from '../instances/instance-lookup.service';
import type { ViewerCurrency } from '../currencies/viewer-currency.service';
import { UsageReportService, UsageRollupRow } from '../reports/usage-report.service';
import { SettingsService } from '../settings/settings.service';

/** How many of the month's costliest rows the widget names. */
export const LARGEST_COSTS = 3;

export interface Widget {
  /** The current month in the billing time zone. */
  month: string;
  view: ViewerCurrency;
  /** Micro-credits. */
  balance: number;
  /** The balance as paid and promotional credit, and the next grant to expire. */
  credit: CreditSplit;
  status: AccountStatus;
  /** Micro-credits charged in the month's settled hours: instances, resource rules and counters. */
  monthToDate: number;
  /**
   * Micro-credits the next hour really costs: rates in the current states within what is left of each cap, the
   * fixed postpaid rules billing in those states, and the counters' estimate.
   */
  burnRatePerHour: number;
  /** The burn rate's parts (micro-credits an hour); `counterReports`: the usage reports the estimate rests on. */
  burnRateParts: { instances: number; rules: number; counters: number; counterReports: number };
  /** When the suspension threshold is reached, projected across caps and month turns. */
  runway: Runway;
  /** The month's costliest rows, most expensive first. */
  largestCosts: UsageRollupRow[];
  /** The user's monthly budget this month; null without one. */
  budget: BudgetStatus | null;
}

/** The dashboard widget: the account's standing, this month's spend and how long the credit lasts. */
@Injectable()
export class WidgetService {
  constructor(
    private readonly accounts: AccountService,
    private readonly grants: GrantService,
    private readonly reports: UsageReportService,
    private readonly settings: SettingsService,
    private readonly instances: InstanceLookupService,
    private readonly liveCosts: LiveCostService,
    private readonly budgets: BudgetService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forUser(userId: string): Promise<Widget> {
    const [{ balance, status, view }, credit, settings, live] = await Promise.all([
      this.accounts.account(userId),
      this.grants.creditOf(userId),
      this.settings.get(),
      this.instances.liveForUser(userId),
    ]);
    const now = this.clock.now();
    const month = monthKey(now, settings.timeZone);
    const [rows, metered, costs, budget] = await Promise.all([
      this.reports.monthRows(month, userId),
      this.reports.meteredCharge(month, userId),
      this.liveCosts.of(live, now, settings.timeZone),
      this.budgets.get(userId),
    ]);
    return {
      month,
      view,
      balance,
      credit,
      status,
      monthToDate: rows.reduce((sum, row) => sum + row.charge, metered),
      burnRatePerHour: burnRatePerHour(costs),
      burnRateParts: {
        instances: instancesPerHour(costs.instances),
        rules: costs.rulesPerHour,
        counters: costs.countersPerHour,
        counterReports: costs.counterReports,
      },
      runway: runwayOf(costs, {
        balance,
        suspensionThreshold: settings.suspensionThreshold,
        now,
        timeZone: settings.timeZone,
      }),
      largestCosts: rows
        .filter((row) => row.charge > 0)
        .sort((a, b) => b.charge - a.charge || (a.instanceId < b.instanceId ? -1 : 1))
        .slice(0, LARGEST_COSTS),
      budget,
    };
  }
}
