import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { formatScaledDecimal, RATE_DIGITS } from '../common/money';
import { IsIsoCurrencyCode, IsOmittable, IsValuePerCredit } from '../common/validation';
import type { CurrencyEntity } from './currency.entity';

const upperCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** What a currency may carry; the create DTO requires code, name and value, the update DTO makes all optional. */
class CurrencyFieldsDto {
  @ApiPropertyOptional({ example: '$' })
  @IsOmittable()
  @IsString()
  @MaxLength(8)
  prefix?: string;

  @ApiPropertyOptional({ example: ' USD' })
  @IsOmittable()
  @IsString()
  @MaxLength(8)
  suffix?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 8 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(8)
  decimals?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export class CurrencyCreateDto extends CurrencyFieldsDto {
  @ApiProperty({ example: 'EUR' })
  @Transform(upperCase)
  @IsIsoCurrencyCode()
  code: string;

  @ApiProperty({ example: 'Euro' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;

  @ApiProperty({ example: '0.0092', description: 'what one credit is worth in this currency' })
  @IsValuePerCredit()
  valuePerCredit: string | number;
}

export class CurrencyUpdateDto extends CurrencyFieldsDto {
  @ApiPropertyOptional({ example: 'US Dollar' })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ example: '0.01', description: 'what one credit is worth in this currency' })
  @IsOmittable()
  @IsValuePerCredit()
  valuePerCredit?: string | number;
}

export class PreferencesUpdateDto {
  @ApiProperty({ example: 'EUR', nullable: true, description: 'an enabled currency, or null for the default' })
  @Transform(upperCase)
  @ValidateIf((_o, value) => value !== null)
  @IsIsoCurrencyCode()
  currency: string | null;
}

export class CurrencyResponseDto {
  code: string;
  name: string;
  valuePerCredit: string;
  prefix: string;
  suffix: string;
  decimals: number;
  enabled: boolean;
  isDefault: boolean;
}

export class PreferencesResponseDto {
  /** The currency the user sees amounts in. */
  currency: string;
  /** What the user picked; null when they follow the default. */
  preferredCurrency: string | null;
}

export function mapCurrency(currency: CurrencyEntity): CurrencyResponseDto {
  return {
    code: currency.code,
    name: currency.name,
    valuePerCredit: formatScaledDecimal(currency.valuePerCreditNanos, RATE_DIGITS),
    prefix: currency.prefix,
    suffix: currency.suffix,
    decimals: currency.decimals,
    enabled: currency.enabled,
    isDefault: currency.isDefault,
  };
}
