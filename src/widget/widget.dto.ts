import { ApiProperty } from '@nestjs/swagger';
import { ACCOUNT_STATUSES, AccountStatus } from '../accounts/account-status';
import { describeRunway } from '../billing/notifications/runway';
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

export class WidgetResponseDto {
  @ApiProperty({ example: '2026-03', description: 'the current month in the billing time zone' })
  month: string;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  balance: Money;
  /** Charged in this month's settled hours. */
  monthToDate: Money;
  /** What the next hour really costs: current states' rates within what is left of each monthly cap (prepaid: 0). */
  burnRatePerHour: Money;
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
}

export function mapWidget(widget: Widget, links: WidgetLinks = { ...WIDGET_LINKS }): WidgetResponseDto {
  const { money, unitPrice } = widget.view;
  const words = describeRunway(widget.runway);
  const hours = widget.runway.hours;
  return {
    month: widget.month,
    currency: widget.view.currency.code,
    balance: money(widget.balance),
    monthToDate: money(widget.monthToDate),
    burnRatePerHour: unitPrice(widget.burnRatePerHour),
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
  };
}
