import { ApiProperty } from '@nestjs/swagger';
import { ACCOUNT_STATUSES, AccountStatus } from '../accounts/account-status';
import { mapCreditSplit } from '../accounts/account.dto';
import { AccountCreditSplitResponseDto } from '../accounts/grants/grant.dto';
import { describeRunway } from '../billing/notifications/runway';
import { COUNTER_ESTIMATE_HOURS } from '../billing/thresholds/metered-burn';
import { BUDGET_ACTIONS, type BudgetAction, forecastSentence } from '../budgets/budget-rules';
import type { BudgetStatus } from '../budgets/budget-status.service';
import type { Money } from '../common/money';
import { WIDGET_LINKS, WidgetLinks } from './widget-links';
import type { Widget } from './widget.service';

export class WidgetLinksResponseDto {
  @ApiProperty({ example: WIDGET_LINKS.usage })
  usage: string;
  @ApiProperty({ example: WIDGET_LINKS.topUp })
  topUp: string;
}

export class WidgetCostResponseDto {
  instanceId: string;
  name: string;
  plan: string;
  cost: Money;
}

/** The burn rate's parts, each per hour. */
export class WidgetBurnRatePartsResponseDto {
  /** The instances' rates in their states, within what is left of each monthly cap. */
  instances: Money;
  /** The fixed-quantity postpaid resource rules billing in the instances' states. */
  rules: Money;
  /** The counters' estimate: their charges in the last 24 settled hours, averaged. */
  counters: Money;
}

/** The user's monthly budget as the widget shows it. */
export class WidgetBudgetResponseDto {
  budget: Money;
  /** Spent this month: charges and adjustments of its settled hours. */
  spent: Money;
  @ApiProperty({ nullable: true, example: 82.5, description: 'null for a budget of 0' })
  percentUsed: number | null;
  @ApiProperty({ example: [50, 80], description: 'the alert levels reached this month (100 is always one)' })
  alertsReached: number[];
  @ApiProperty({ nullable: true, example: 'At this rate you will reach your budget on the 24th.' })
  forecast: string | null;
  @ApiProperty({ enum: BUDGET_ACTIONS })
  action: BudgetAction;
  @ApiProperty({ description: 'new instances are refused until next month (action block-new, budget used up)' })
  blocksNewInstances: boolean;
}

export class WidgetResponseDto {
  @ApiProperty({ example: '2026-03', description: 'the current month in the billing time zone' })
  month: string;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  balance: Money;
  /** The balance as paid and promotional credit (charges use promotional first), and what expires next. */
  credit: AccountCreditSplitResponseDto;
  /** Charged in this month's settled hours: instances, resource rules and counters. */
  monthToDate: Money;
  /**
   * What the next hour really costs: current states' rates within what is left of each monthly cap (prepaid: 0),
   * fixed postpaid rules, and the counters' estimate from the last 24 hours.
   */
  burnRatePerHour: Money;
  burnRateParts: WidgetBurnRatePartsResponseDto;
  @ApiProperty({
    nullable: true,
    example: "Counters' future use is unknown: estimated from the last 24 hours at €0.25 per hour.",
    description: 'said when usage reports of the last 24 hours make part of the burn rate an estimate',
  })
  burnRateNote: string | null;
  @ApiProperty({
    nullable: true,
    example: 70.5,
    description: 'to the suspension threshold, across monthly caps; null when nothing costs or it lasts over a year',
  })
  runwayHours: number | null;
  @ApiProperty({ nullable: true, example: 'about 3 days left' })
  runway: string | null;
  @ApiProperty({ enum: ACCOUNT_STATUSES })
  status: AccountStatus;
  @ApiProperty({ type: [WidgetCostResponseDto], description: "up to 3 of this month's costliest instances" })
  largestCosts: WidgetCostResponseDto[];
  links: WidgetLinksResponseDto;
  @ApiProperty({ type: WidgetBudgetResponseDto, nullable: true, description: 'null when the user set no budget' })
  budget: WidgetBudgetResponseDto | null;
}

export function mapWidget(widget: Widget, links: WidgetLinks = { ...WIDGET_LINKS }): WidgetResponseDto {
  const { money, unitPrice } = widget.view;
  const words = describeRunway(widget.runway);
  const hours = widget.runway.hours;
  return {
    month: widget.month,
    currency: widget.view.currency.code,
    balance: money(widget.balance),
    credit: mapCreditSplit(widget.credit, money),
    monthToDate: money(widget.monthToDate),
    burnRatePerHour: unitPrice(widget.burnRatePerHour),
    burnRateParts: {
      instances: unitPrice(widget.burnRateParts.instances),
      rules: unitPrice(widget.burnRateParts.rules),
      counters: unitPrice(widget.burnRateParts.counters),
    },
    burnRateNote:
      widget.burnRateParts.counterReports === 0
        ? null
        : `Counters' future use is unknown: estimated from the last ${COUNTER_ESTIMATE_HOURS} hours at ` +
          `${unitPrice(widget.burnRateParts.counters).formatted} per hour.`,
    runwayHours: hours === null ? null : Math.round(hours * 10) / 10,
    runway: words === null ? null : `${words} left`,
    status: widget.status,
    largestCosts: widget.largestCosts.map((row) => ({
      instanceId: row.instanceId,
      name: row.name ?? row.instanceId,
      plan: row.planName ?? `plan ${row.planId}`,
      cost: money(row.charge),
    })),
    links,
    budget: widget.budget && mapWidgetBudget(widget.budget),
  };
}

function mapWidgetBudget(status: BudgetStatus): WidgetBudgetResponseDto {
  const { money } = status.view;
  return {
    budget: money(status.settings.amount),
    spent: money(status.spend),
    percentUsed: status.percentUsed,
    alertsReached: status.levelsReached,
    forecast: status.forecast && forecastSentence(status.forecast.date),
    action: status.settings.action,
    blocksNewInstances: status.blocksNewInstances,
  };
}
