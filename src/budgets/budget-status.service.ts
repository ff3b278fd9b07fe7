import { Inject, Injectable } from '@nestjs/common';
import { LiveCostService } from '../billing/thresholds/live-cost.service';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import type { Tx } from '../common/unit-of-work';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { InstanceEntity } from '../instances/instance.entity';
import { InstanceLookupService } from '../instances/instance-lookup.service';
import { SettingsService } from '../settings/settings.service';
import type { BudgetEntity } from './budget.entity';
import { BudgetForecast, budgetForecast } from './budget-forecast';
import { BudgetRepository } from './budget.repository';
import {
  alertLevelsOf,
  type BudgetAction,
  budgetMonthOf,
  type BudgetMonth,
  budgetUsedUp,
  levelsReached,
  percentUsed,
} from './budget-rules';

/** A budget as the user set it; `amount` in micro-credits. */
export interface BudgetSettings {
  amount: number;
  currencyCode: string;
  currencyAmount: string;
  alertLevels: number[];
  action: BudgetAction;
}

/** Where a user's budget stands this month: what GET /me/budget, the widget and the budget page show. */
export interface BudgetStatus {
  settings: BudgetSettings;
  month: BudgetMonth;
  /** Micro-credits spent in the month's settled hours (charges and adjustments). */
  spend: number;
  percentUsed: number | null;
  /** The alert levels (the user's and 100 %) the spend has reached, increasing. */
  levelsReached: number[];
  forecast: BudgetForecast | null;
  /** The action is block-new and the budget is used up: the wizard refuses new instances. */
  blocksNewInstances: boolean;
  view: ViewerCurrency;
}

export const settingsOf = (row: BudgetEntity): BudgetSettings => ({
  amount: row.amount,
  currencyCode: row.currencyCode,
  currencyAmount: row.currencyAmount,
  alertLevels: row.alertLevels.split(',').map(Number),
  action: row.action,
});

/** Reads a budget's month: the spend from the ledger and the forecast from what the live instances cost. */
@Injectable()
export class BudgetStatusService {
  constructor(
    private readonly repository: BudgetRepository,
    private readonly settings: SettingsService,
    private readonly instances: InstanceLookupService,
    private readonly liveCosts: LiveCostService,
    private readonly viewerCurrency: ViewerCurrencyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async of(userId: string): Promise<BudgetStatus | null> {
    const row = await this.repository.find(userId);
    if (!row) return null;
    const now = this.clock.now();
    const [{ timeZone }, live, view] = await Promise.all([
      this.settings.get(),
      this.instances.liveForUser(userId),
      this.viewerCurrency.forUser(userId),
    ]);
    return this.compute(userId, settingsOf(row), budgetMonthOf(now.getTime(), timeZone), now, timeZone, live, view);
  }

  /** The month's figures for `settings`; `tx` reads the spend inside the caller's unit of work (its locks held). */
  async compute(
    userId: string,
    settings: BudgetSettings,
    month: BudgetMonth,
    now: Date,
    timeZone: string,
    live: InstanceEntity[],
    view: ViewerCurrency,
    tx?: Tx,
  ): Promise<BudgetStatus> {
    const spend = await this.repository.spendBetween(userId, month.startMs, month.endMs, tx);
    const costs = await this.liveCosts.of(live, now, timeZone, tx);
    const usedUp = budgetUsedUp(spend, settings.amount);
    return {
      settings,
      month,
      spend,
      percentUsed: percentUsed(spend, settings.amount),
      levelsReached: levelsReached(spend, settings.amount, alertLevelsOf(settings.alertLevels)),
      forecast: budgetForecast({ spend, budget: settings.amount, now, timeZone, month, costs }),
      blocksNewInstances: usedUp && settings.action === 'block-new',
      view,
    };
  }

  /** The month's spend only: what the wizard's creation check needs. */
  async spendThisMonth(userId: string): Promise<{ spend: number; month: BudgetMonth }> {
    const { timeZone } = await this.settings.get();
    const month = budgetMonthOf(this.clock.now().getTime(), timeZone);
    return { spend: await this.repository.spendBetween(userId, month.startMs, month.endMs), month };
  }
}
