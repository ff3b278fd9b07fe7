import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';
import type { Money } from '../common/money';
import { MAX_CREDIT_AMOUNT_MICROS } from '../common/money-bounds';
import { IsCreditAmount, IsOmittable, MaxCredits } from '../common/validation';
import type { AttemptStatus } from './auto-top-up.entities';

const upperCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** Amounts are credits (decimal strings, as everywhere in the API); `currency` is what the user is charged in. */
export class AutoTopUpRuleDto {
  @ApiProperty({ example: '100', description: 'credits: top up when the balance falls below this (0 or more)' })
  @IsCreditAmount()
  @MaxCredits(MAX_CREDIT_AMOUNT_MICROS)
  threshold: string | number;

  @ApiPropertyOptional({ example: '500', description: 'credits to top up each time; exactly one of amount and target' })
  @IsOmittable()
  @IsCreditAmount()
  @MaxCredits(MAX_CREDIT_AMOUNT_MICROS)
  amount?: string | number;

  @ApiPropertyOptional({ example: '1000', description: 'credits to top up to (target − balance); above threshold' })
  @IsOmittable()
  @IsCreditAmount()
  @MaxCredits(MAX_CREDIT_AMOUNT_MICROS)
  target?: string | number;

  @ApiProperty({
    example: '2000',
    description: 'credits: the most top-ups may ask for in a calendar month (billing time zone); at least one top-up',
  })
  @IsCreditAmount()
  @MaxCredits(MAX_CREDIT_AMOUNT_MICROS)
  monthlyLimit: string | number;

  @ApiPropertyOptional({
    example: 'EUR',
    description: 'an enabled currency to charge in; default: the display currency',
  })
  @IsOmittable()
  @Transform(upperCase)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter currency code (e.g. "EUR")' })
  currency?: string;
}

export class AutoTopUpRuleResponseDto {
  @ApiProperty() threshold: Money;
  @ApiProperty({ nullable: true }) amount: Money | null;
  @ApiProperty({ nullable: true }) target: Money | null;
  @ApiProperty() monthlyLimit: Money;
  @ApiProperty({ example: 'USD' }) currency: string;
}

export class AutoTopUpAttemptResponseDto {
  @ApiProperty({ example: 'auto-topup:alice:3' }) key: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'cancelled'] }) status: AttemptStatus;
  /** The credits the account receives. */
  @ApiProperty() credits: Money;
  @ApiProperty({ example: '5.00' }) chargedAmount: string;
  @ApiProperty({ example: 'USD' }) chargedCurrency: string;
  @ApiProperty() failures: number;
  @ApiProperty({ nullable: true }) lastError: string | null;
  @ApiProperty({ nullable: true }) paymentReference: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true }) completedAt: string | null;
}

export class AutoTopUpResponseDto {
  @ApiProperty({ nullable: true, type: AutoTopUpRuleResponseDto }) rule: AutoTopUpRuleResponseDto | null;
  @ApiProperty({ example: '2026-03' }) month: string;
  /** What this month's succeeded and in-flight attempts asked for: what the monthly limit is measured against. */
  @ApiProperty() monthToDate: Money;
  @ApiProperty({ type: [AutoTopUpAttemptResponseDto] }) attempts: AutoTopUpAttemptResponseDto[];
}
