import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { formatCredits } from '../common/money';
import {
  MAX_HOURLY_PRICE_CREDITS,
  MAX_HOURLY_PRICE_MICROS,
  MAX_MONTHLY_PRICE_CREDITS,
  MAX_MONTHLY_PRICE_MICROS,
} from '../common/money-bounds';
import { IsCreditAmount, IsOmittable, MaxCredits } from '../common/validation';
import { IsEntryName, IsSlug, IsSortOrder, MAX_SORT_ORDER } from './catalog-entry.dto';
import { IsIdValue, MAX_ID } from './catalog-params.dto';
import type { PlanDetails } from './plan.service';

function IsResourceAmount(min: number): PropertyDecorator {
  return (target, key) => {
    IsInt()(target, key);
    Min(min)(target, key);
    Max(MAX_ID)(target, key);
  };
}

const HOURLY_LIMIT = MAX_HOURLY_PRICE_CREDITS.toLocaleString('en-US');
const MONTHLY_LIMIT = MAX_MONTHLY_PRICE_CREDITS.toLocaleString('en-US');

/** An hourly price for one state, within the bound that keeps every charge an exact integer. */
function IsHourlyPrice(): PropertyDecorator {
  return (target, key) => {
    IsCreditAmount()(target, key as string);
    MaxCredits(MAX_HOURLY_PRICE_MICROS)(target, key as string);
  };
}

/** Credits as a decimal string or a number; null where the field may be left unset. */
type CreditInput = string | number;

export class PlanCreateDto {
  @ApiProperty({ example: 1 })
  @IsIdValue()
  groupId: number;

  @ApiProperty({ example: 'C4 Compute' })
  @IsEntryName()
  name: string;

  @ApiProperty({ example: 'c4-compute' })
  @IsSlug()
  slug: string;

  @ApiProperty({ example: 4, minimum: 1 })
  @IsResourceAmount(1)
  vcpus: number;

  @ApiProperty({ example: 8192, minimum: 1 })
  @IsResourceAmount(1)
  ramMb: number;

  @ApiProperty({ example: 160, minimum: 1 })
  @IsResourceAmount(1)
  diskGb: number;

  @ApiPropertyOptional({ example: 4000, default: 0, description: 'monthly traffic included, in GB' })
  @IsOmittable()
  @IsResourceAmount(0)
  bandwidthGb?: number;

  @ApiPropertyOptional({ example: 0, default: 0 })
  @IsOmittable()
  @IsResourceAmount(0)
  gpus?: number;

  @ApiPropertyOptional({
    example: '0.05',
    nullable: true,
    description: `credits per hour, at most ${HOURLY_LIMIT}; a plan needs this or monthlyPrice`,
  })
  @IsOptional()
  @IsHourlyPrice()
  hourlyPrice?: CreditInput | null;

  @ApiPropertyOptional({
    example: '30',
    nullable: true,
    description: `credits per month, at most ${MONTHLY_LIMIT}; with hourlyPrice it caps the month`,
  })
  @IsOptional()
  @IsCreditAmount()
  @MaxCredits(MAX_MONTHLY_PRICE_MICROS)
  monthlyPrice?: CreditInput | null;

  @ApiPropertyOptional({
    nullable: true,
    description: `credits per hour while stopped, at most ${HOURLY_LIMIT}; null = the running rate`,
  })
  @IsOptional()
  @IsHourlyPrice()
  stoppedHourlyPrice?: CreditInput | null;

  @ApiPropertyOptional({
    nullable: true,
    description: `credits per hour while suspended, at most ${HOURLY_LIMIT}; null = free`,
  })
  @IsOptional()
  @IsHourlyPrice()
  suspendedHourlyPrice?: CreditInput | null;

  @ApiPropertyOptional({ example: [1, 2], default: [], description: 'the locations where the plan is offered' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'locationIds must not list a location twice' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_ID, { each: true })
  locationIds?: number[];

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_SORT_ORDER, description: 'lower comes first' })
  @IsSortOrder()
  sortOrder?: number;
}

export class PlanUpdateDto extends PartialType(PlanCreateDto, { skipNullProperties: false }) {}

export class PlanResponseDto {
  id: number;
  groupId: number;
  name: string;
  slug: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  bandwidthGb: number;
  gpus: number;
  /** Credits as decimal strings, or null when not set. */
  hourlyPrice: string | null;
  monthlyPrice: string | null;
  stoppedHourlyPrice: string | null;
  suspendedHourlyPrice: string | null;
  locationIds: number[];
  enabled: boolean;
  sortOrder: number;
}

const credits = (micros: number | null) => (micros === null ? null : formatCredits(micros));

/** What a plan is, without its prices: shared by the admin and the catalog views, which show prices differently. */
export function planShape(plan: PlanDetails) {
  const { id, groupId, name, slug, vcpus, ramMb, diskGb, bandwidthGb, gpus } = plan;
  return { id, groupId, name, slug, vcpus, ramMb, diskGb, bandwidthGb, gpus };
}

export function mapPlan(plan: PlanDetails): PlanResponseDto {
  return {
    ...planShape(plan),
    hourlyPrice: credits(plan.hourlyPrice),
    monthlyPrice: credits(plan.monthlyPrice),
    stoppedHourlyPrice: credits(plan.stoppedHourlyPrice),
    suspendedHourlyPrice: credits(plan.suspendedHourlyPrice),
    locationIds: plan.locationIds,
    enabled: plan.enabled,
    sortOrder: plan.sortOrder,
  };
}
