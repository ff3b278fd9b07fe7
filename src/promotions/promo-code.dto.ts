import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsString, Matches, Max, Min } from 'class-validator';
import { REFERENCE_PATTERN } from '../accounts/account.dto';
import { MAX_GRANT_PRIORITY } from '../accounts/grants/grant.dto';
import type { Money } from '../common/money';
import { MAX_CREDIT_AMOUNT_MICROS } from '../common/money-bounds';
import { IsCreditAmount, IsOmittable, MaxCredits } from '../common/validation';

export const PROMO_CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{2,63}$/;
const PROMO_CODE_MESSAGE = 'must be 3–64 letters, digits, "_" or "-", starting with a letter or digit';
const upperCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

export class PromoCodeCreateDto {
  @ApiProperty({ example: 'WELCOME10', description: 'case-insensitive; stored in upper case' })
  @Transform(upperCase)
  @IsString()
  @Matches(PROMO_CODE_PATTERN, { message: `code ${PROMO_CODE_MESSAGE}` })
  code: string;

  @ApiProperty({ example: '10', description: 'promotional credits each redemption grants' })
  @IsCreditAmount()
  @MaxCredits(MAX_CREDIT_AMOUNT_MICROS)
  amount: string | number;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59Z', description: 'the code is refused after this' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  codeExpiresAt?: string;

  @ApiPropertyOptional({ example: '2027-01-31T23:59:59Z', description: 'the credit expires at this instant' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  creditExpiresAt?: string;

  @ApiPropertyOptional({ example: 30, description: 'or this many days after it was redeemed (not both)' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3660)
  creditValidDays?: number;

  @ApiPropertyOptional({ example: 500, description: 'redemptions in all; omitted: no limit' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  maxRedemptions?: number;

  @ApiPropertyOptional({ default: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxPerUser?: number;

  @ApiPropertyOptional({ default: false, description: 'only users without any ledger entry yet' })
  @IsOmittable()
  @IsBoolean()
  newAccountsOnly?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_GRANT_PRIORITY, default: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_GRANT_PRIORITY)
  priority?: number;
}

export class PromoCodeRedeemDto {
  @ApiProperty({ example: 'WELCOME10' })
  @Transform(upperCase)
  @IsString()
  @Matches(PROMO_CODE_PATTERN, { message: `code ${PROMO_CODE_MESSAGE}` })
  code: string;

  @ApiPropertyOptional({
    example: 'redeem-7f3a',
    description: 'idempotency key of this request: a retry with the same reference answers the first redemption',
  })
  @IsOmittable()
  @IsString()
  @Matches(REFERENCE_PATTERN, { message: 'reference must be 1–128 letters, digits, ".", "_", ":" or "-"' })
  reference?: string;
}

export class PromoCodeResponseDto {
  code: string;
  amount: Money;
  priority: number;
  codeExpiresAt: string | null;
  creditExpiresAt: string | null;
  creditValidDays: number | null;
  maxRedemptions: number | null;
  maxPerUser: number;
  newAccountsOnly: boolean;
  redemptions: number;
}

export class PromoRedemptionResponseDto {
  code: string;
  amount: Money;
  /** When the credit expires; null: never. */
  creditExpiresAt: string | null;
  /** False when this reference had redeemed before: nothing new was granted. */
  created: boolean;
  balance: Money;
}
