import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { USER_ID_PATTERN } from '../accounts/user-id.pipe';
import type { Money } from '../common/money';
import { IsOmittable } from '../common/validation';
import { MONTH_PATTERN } from './report-calendar';
import type { UsageReport } from './usage-report.service';

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

export class UsageRowResponseDto {
  @ApiPropertyOptional({ description: 'only in the all-users report' })
  userId?: string;
  instanceId: string;
  name: string;
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
  cost: Money;
}

export class UsageReportResponseDto {
  @ApiProperty({ example: '2026-03' })
  month: string;
  @ApiProperty({ example: 'EUR', description: 'the currency of every amount' })
  currency: string;
  @ApiPropertyOptional({ description: 'admin reports: the user, or null for all users' })
  userId?: string | null;
  rows: UsageRowResponseDto[];
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

/** Amounts in the reader's currency; `admin` adds whose report it is, and each row's user when it is everyone's. */
export function mapUsageReport(report: UsageReport, admin = false): UsageReportResponseDto {
  const { money, unitPrice } = report.view;
  const everyone = report.userId === null;
  return {
    month: report.month,
    currency: report.view.currency.code,
    ...(admin ? { userId: report.userId } : {}),
    rows: report.rows.map((row) => ({
      ...(everyone ? { userId: row.userId } : {}),
      instanceId: row.instanceId,
      name: row.name ?? row.instanceId,
      planId: row.planId,
      plan: row.planName ?? `plan ${row.planId}`,
      location: row.locationName,
      hourlyRate: row.hourlyRate === null ? null : unitPrice(row.hourlyRate),
      hours: Math.round((row.billedSeconds * 100) / SECONDS_PER_HOUR) / 100,
      cost: money(row.charge),
      adjusted: row.adjusted,
    })),
    total: money(report.total),
    daily: report.daily.map((day) => ({ date: day.date, cost: money(day.charge) })),
    adjustments: report.adjustments.map((line) => ({
      ...(everyone ? { userId: line.userId } : {}),
      instanceId: line.instanceId,
      name: line.name ?? line.instanceId,
      hour: new Date(line.hourStartMs).toISOString(),
      amount: money(line.charge),
      reason: line.reason,
    })),
  };
}
