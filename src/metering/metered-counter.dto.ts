import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIdValue, MAX_ID } from '../catalog/catalog-params.dto';
import { formatCredits } from '../common/money';
import { IsCreditAmount, MaxCredits } from '../common/validation';
import { MAX_MEASUREMENT_UNIT, MAX_PRICE_RANGES, MAX_RANGE_FROM, MAX_RANGE_PRICE_MICROS } from './metering-bounds';
import type { MeteredCounter } from './metering.types';
import { IsDisplayText, IsMeteringKey, IsQuantity, MaxQuantity } from './metering.validation';
import { formatQuantity } from '../common/quantities';

export class CounterParams {
  @ApiProperty({ example: 1 })
  @IsIdValue()
  id: number;
}

export class PriceRangeDto {
  @ApiProperty({ example: '1000', description: 'measurement units used in the month from which this price applies' })
  @IsQuantity()
  @MaxQuantity(MAX_RANGE_FROM)
  from: string | number;

  @ApiProperty({ example: '0.01', description: 'credits per measurement unit in this range' })
  @IsCreditAmount()
  @MaxCredits(MAX_RANGE_PRICE_MICROS)
  price: string | number;
}

export class MeteredCounterCreateDto {
  @ApiProperty({ example: 'traffic-out', description: 'unique among counters; what the host reports usage under' })
  @IsMeteringKey()
  key: string;

  @ApiProperty({ example: 'Outgoing traffic' })
  @IsDisplayText(100)
  name: string;

  @ApiProperty({ example: 'GB', description: 'the unit usage is reported in' })
  @IsDisplayText(32)
  unitName: string;

  @ApiProperty({
    example: '1',
    description: `how many of unitName a range price is for (1 GB, 1000000 requests), > 0, at most ${MAX_MEASUREMENT_UNIT.toLocaleString('en-US')}`,
  })
  @IsQuantity({ positive: true })
  @MaxQuantity(MAX_MEASUREMENT_UNIT)
  measurementUnit: string | number;

  @ApiProperty({
    type: [PriceRangeDto],
    example: [
      { from: '0', price: '0' },
      { from: '1000', price: '0.01' },
    ],
    description: `graduated per calendar month: the first starts at 0, each further one later; at most ${MAX_PRICE_RANGES}`,
  })
  @IsArray()
  @ArrayMaxSize(MAX_PRICE_RANGES)
  @ValidateNested({ each: true })
  @Type(() => PriceRangeDto)
  ranges: PriceRangeDto[];

  @ApiPropertyOptional({ example: [1, 2], nullable: true, description: 'the plans it applies to; null: every plan' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'planIds must list a plan (null: every plan)' })
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'planIds must not list a plan twice' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_ID, { each: true })
  planIds?: number[] | null;
}

/** Only what is sent changes; `ranges` and `planIds` replace the whole list. */
export class MeteredCounterUpdateDto extends PartialType(MeteredCounterCreateDto, { skipNullProperties: false }) {}

export class PriceRangeResponseDto {
  /** Measurement units, as a decimal string. */
  from: string;
  /** Credits per measurement unit, as a decimal string. */
  price: string;
}

export class MeteredCounterResponseDto {
  id: number;
  key: string;
  name: string;
  unitName: string;
  measurementUnit: string;
  ranges: PriceRangeResponseDto[];
  planIds: number[] | null;
  createdAt: string;
  /** When it was deleted and stopped billing; null while it bills. */
  retiredAt: string | null;
}

export function mapMeteredCounter(counter: MeteredCounter): MeteredCounterResponseDto {
  return {
    id: counter.id,
    key: counter.key,
    name: counter.name,
    unitName: counter.unitName,
    measurementUnit: formatQuantity(counter.measurementUnit),
    ranges: counter.ranges.map((range) => ({
      from: formatQuantity(range.from),
      price: formatCredits(range.priceMicros),
    })),
    planIds: counter.planIds,
    createdAt: counter.createdAt.toISOString(),
    retiredAt: counter.retiredAt?.toISOString() ?? null,
  };
}
