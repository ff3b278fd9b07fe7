import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { USER_ID_PATTERN } from '../accounts/user-id.pipe';
import type { Money } from '../common/money';
import { MONTH_PATTERN } from './report-calendar';
import type { UsageReport } from './usage-report.service';

const SECONDS_PER_HOUR = 3600;

export class UsageQueryDto {
  @ApiPropertyOptional({ example: '2026-03', description: 'YYYY-MM in the billing time zone; default: this month' })
  @IsOptional()
  @Matches(MONTH_PATTERN, { message: 'month must be a month written YYYY-MM (e.g. "2026-03")' })
  month?: string;
}

export class AdminUsageQueryDto extends UsageQueryDto {
  @ApiPropertyOptional({ example: 'alice', description: 'one user; without it, every user' })
  @IsOptional()
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
  cost: Money;
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
  total: Money;
  @ApiProperty({ description: 'every day of the month up to today (billing time zone), zeros included' })
  daily: DailyCostResponseDto[];
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
    })),
    total: money(report.total),
    daily: report.daily.map((day) => ({ date: day.date, cost: money(day.charge) })),
  };
}
