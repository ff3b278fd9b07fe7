import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { USER_ID_PATTERN } from '../accounts/user-id.pipe';
import type { Money } from '../common/money';
import { IsOmittable } from '../common/validation';
import { meteredLineText } from './metered-lines';
import { MONTH_PATTERN } from './report-calendar';
import type { ViewerCurrency } from '../currencies/viewer-currency.service';
import type { UsageAdjustment, UsageReport } from './usage-report.service';

const SECONDS_PER_HOUR = 3600;

export class UsageQueryDto {
  @ApiPropertyOptional({ example: '2026-03', description: 'YYYY-MM in the billing time zone; default: this month' })
  @IsOmittable()
  @Matches(MONTH_PATTERN, { message: 'month must be a month written YYYY-MM (e.g. "2026-03")' })
  month?: string;
}

export class AdminUsageQueryDto extends UsageQueryDto {
  @ApiPropertyOptional({ example: 'alice', description: 'one user; without it, every user' })
  @IsOmittable()
  @Matches(USER_ID_PATTERN, { message: 'userId must be 1–64 letters, digits, ".", "_", "@" or "-"' })
  userId?: string;
}

/** What every row of the report has: whose instance it is about. */
class UsageInstanceRowDto {
  @ApiPropertyOptional({ description: 'only in the all-users report' })
  userId?: string;
  @ApiProperty({ description: 'the instance it is about' })
  instanceId: string;
  @ApiProperty({ description: "the instance's name" })
  name: string;
}

export class UsageRowResponseDto extends UsageInstanceRowDto {
  @ApiProperty({ enum: ['instance'], description: "the instance's own plan: one row per plan it was on" })
  kind: 'instance';
  planId: number;
  plan: string;
  location: string | null;
  /** The running rate on record for the row's latest settled hour; null only for rows settled without one. */
  hourlyRate: Money | null;
  @ApiProperty({ example: 10.5, description: 'hours billed (after the billing granularity), to 2 decimals' })
  hours: number;
  @ApiProperty({ description: 'what the month charged for this row, re-rating adjustments already included' })
  cost: Money;
  @ApiProperty({
    example: false,
    description:
      "a late host event re-rated some of this instance's hours in the month: the cost is the corrected one, and the corrections are listed in `adjustments`",
  })
  adjusted: boolean;
}

/** A resource rule or metered counter of an instance in the month, listed after the instance's plan rows. */
export class UsageMeteredRowResponseDto extends UsageInstanceRowDto {
  @ApiProperty({ enum: ['rule', 'counter'] })
  kind: 'rule' | 'counter';
  @ApiProperty({ description: "the rule's or counter's id" })
  itemId: number;
  @ApiProperty({ example: 'ipv4' })
  key: string;
  @ApiProperty({ example: 'IPv4 address', description: "the rule's or counter's name" })
  item: string;
  @ApiProperty({
    example: '720',
    description:
      'exact decimal: unit-hours for a postpaid rule (to 6 decimals), units paid for a prepaid one, usage for a counter',
  })
  quantity: string;
  @ApiProperty({ example: 'address-hours' })
  unit: string;
  @ApiProperty({
    example: 'first 1,000 GB a month included, then €0.005 per GB',
    description: "the rule's price per period, or the counter's price ranges, in the report's currency",
  })
  rate: string;
  @ApiProperty({ description: 'what the month charged for it, late usage reports included' })
  cost: Money;
}

/** One re-rated hour: what the correction changed, signed like a cost. */
export class UsageAdjustmentResponseDto {
  @ApiPropertyOptional({ description: 'only in the all-users report' })
  userId?: string;
  instanceId: string;
  name: string;
  @ApiProperty({ example: '2026-03-10T13:00:00.000Z', description: 'the settled hour that was re-rated (UTC)' })
  hour: string;
  @ApiProperty({ description: "positive: charged more; negative: refunded. Already in the rows' costs and the total" })
  amount: Money;
  @ApiProperty({ example: 'usage 2026-03-10T13:00Z of vm-1 re-rated after a late "stopped" event' })
  reason: string;
}

export class DailyCostResponseDto {
  @ApiProperty({ example: '2026-03-01' })
  date: string;
  /** Everything the day charged. */
  cost: Money;
  @ApiProperty({ description: "the instances' own plans' share of the cost" })
  instances: Money;
  @ApiProperty({ description: "resource rules' share of the cost" })
  rules: Money;
  @ApiProperty({ description: "counters' share of the cost" })
  counters: Money;
}

@ApiExtraModels(UsageRowResponseDto, UsageMeteredRowResponseDto)
export class UsageReportResponseDto {
  @ApiProperty({ example: '2026-03' })
  month: string;
  @ApiProperty({ example: 'EUR', description: 'the currency of every amount' })
  currency: string;
  @ApiPropertyOptional({ description: 'admin reports: the user, or null for all users' })
  userId?: string | null;
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [{ $ref: getSchemaPath(UsageRowResponseDto) }, { $ref: getSchemaPath(UsageMeteredRowResponseDto) }],
    },
    description: "per instance, in name order: its plan rows (kind 'instance'), then its resource rules and counters",
  })
  rows: (UsageRowResponseDto | UsageMeteredRowResponseDto)[];
  @ApiProperty({ description: "the month's total: the sum of the rows' costs, adjustments counted once (in the rows)" })
  total: Money;
  @ApiProperty({ description: 'every day of the month up to today (billing time zone), zeros included' })
  daily: DailyCostResponseDto[];
  @ApiProperty({
    type: [UsageAdjustmentResponseDto],
    description:
      're-rating corrections of hours that start in the month, oldest first; they explain, not add to, the costs',
  })
  adjustments: UsageAdjustmentResponseDto[];
}

/** One row of a report in the reader's currency; `everyone` (an all-users report) says whose row it is. */
export function mapUsageRow(
  row: UsageReport['rows'][number],
  view: ViewerCurrency,
  everyone: boolean,
): UsageRowResponseDto | UsageMeteredRowResponseDto {
  const { money, unitPrice } = view;
  return row.kind === 'instance'
    ? {
        ...(everyone ? { userId: row.userId } : {}),
        kind: row.kind,
        instanceId: row.instanceId,
        name: row.name ?? row.instanceId,
        planId: row.planId,
        plan: row.planName ?? `plan ${row.planId}`,
        location: row.locationName,
        hourlyRate: row.hourlyRate === null ? null : unitPrice(row.hourlyRate),
        hours: Math.round((row.billedSeconds * 100) / SECONDS_PER_HOUR) / 100,
        cost: money(row.charge),
        adjusted: row.adjusted,
      }
    : {
        ...(everyone ? { userId: row.userId } : {}),
        kind: row.kind,
        instanceId: row.instanceId,
        name: row.name ?? row.instanceId,
        itemId: row.itemId,
        ...meteredLineText(row, unitPrice),
        cost: money(row.charge),
      };
}

/** One re-rating correction in the reader's currency. */
export function mapUsageAdjustment(
  line: UsageAdjustment,
  view: ViewerCurrency,
  everyone: boolean,
): UsageAdjustmentResponseDto {
  return {
    ...(everyone ? { userId: line.userId } : {}),
    instanceId: line.instanceId,
    name: line.name ?? line.instanceId,
    hour: new Date(line.hourStartMs).toISOString(),
    amount: view.money(line.charge),
    reason: line.reason,
  };
}

/** Amounts in the reader's currency; `admin` adds whose report it is, and each row's user when it is everyone's. */
export function mapUsageReport(report: UsageReport, admin = false): UsageReportResponseDto {
  const { money } = report.view;
  const everyone = report.userId === null;
  return {
    month: report.month,
    currency: report.view.currency.code,
    ...(admin ? { userId: report.userId } : {}),
    rows: report.rows.map((row) => mapUsageRow(row, report.view, everyone)),
    total: money(report.total),
    daily: report.daily.map((day) => ({
      date: day.date,
      cost: money(day.charge),
      instances: money(day.charge - day.rules - day.counters),
      rules: money(day.rules),
      counters: money(day.counters),
    })),
    adjustments: report.adjustments.map((line) => mapUsageAdjustment(line, report.view, everyone)),
  };
}
