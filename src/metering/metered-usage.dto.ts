import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { formatCredits } from '../common/money';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN, IsOmittable } from '../common/validation';
import type { MeteredUsageEntity } from './metered-usage.entity';
import { MAX_USAGE_QUANTITY, MAX_USAGE_REPORT_ID_LENGTH } from './metering-bounds';
import { IsMeteringKey, IsQuantity, MaxQuantity } from './metering.validation';
import { formatQuantity } from '../common/quantities';

const REPORT_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export class UsageInstanceParams {
  @ApiProperty({ example: 'vm-1001' })
  @Matches(HOST_ID_PATTERN, { message: `id ${HOST_ID_MESSAGE}` })
  id: string;
}

/** `POST /host/instances/:id/usage`: a quantity used, or a cumulative reading, of one counter at one instant. */
export class UsageReportDto {
  @ApiProperty({ example: 'traffic-out', description: "a live counter's key that applies to the instance's plan" })
  @IsMeteringKey()
  counter: string;

  @ApiPropertyOptional({ example: '12.5', description: "used since the last report, in the counter's unit" })
  @IsOmittable()
  @IsQuantity()
  @MaxQuantity(MAX_USAGE_QUANTITY)
  quantity?: string | number;

  @ApiPropertyOptional({
    example: '10452.25',
    description: 'instead of quantity: the cumulative total; one below the last starts a new series (a reset)',
  })
  @IsOmittable()
  @IsQuantity()
  @MaxQuantity(MAX_USAGE_QUANTITY)
  reading?: string | number;

  @ApiProperty({ example: '2026-03-10T15:30:00Z', description: 'when it was used (or read)' })
  @IsISO8601({ strict: true })
  at: string;

  @ApiProperty({ example: 'host-usage:vm-1001:482913', description: "the host's own id: a repeat is a no-op" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_USAGE_REPORT_ID_LENGTH)
  @Matches(REPORT_ID_PATTERN, { message: 'id must be letters, digits or . _ : -' })
  id: string;
}

export class UsageMonthQuery {
  @ApiPropertyOptional({ example: '2026-03', description: 'a month in the billing time zone; default: this one' })
  @IsOmittable()
  @Matches(MONTH_PATTERN, { message: 'month must be YYYY-MM' })
  month?: string;
}

export class UsageReportResponseDto {
  /** The host's id for the report. */
  id: string;
  instanceId: string;
  userId: string;
  counter: string;
  counterId: number;
  /** What the report adds to the counter, as a decimal string (for a reading: its difference from the last). */
  quantity: string;
  /** The cumulative reading reported, or null for a quantity. */
  reading: string | null;
  at: string;
  hourStart: string;
  receivedAt: string;
  /** It arrived after its hour was settled: billed by the next run as an adjustment of its own. */
  late: boolean;
  /** Set once settlement billed it. */
  billedAt: string | null;
  charge: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function mapUsageReport(row: MeteredUsageEntity, counterKey: string): UsageReportResponseDto {
  return {
    id: row.reportId,
    instanceId: row.instanceId,
    userId: row.userId,
    counter: counterKey,
    counterId: row.counterId,
    quantity: formatQuantity(BigInt(row.quantity)),
    reading: row.reading === null ? null : formatQuantity(BigInt(row.reading)),
    at: iso(row.atMs),
    hourStart: iso(row.hourStartMs),
    receivedAt: iso(row.receivedAtMs),
    late: row.late,
    billedAt: row.billedAtMs === null ? null : iso(row.billedAtMs),
    charge: row.chargeMicros === null ? null : formatCredits(row.chargeMicros),
  };
}
