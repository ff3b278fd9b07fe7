import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { MAX_CREDIT_AMOUNT_MICROS } from '../../common/money-bounds';
import { IsCreditAmount, IsOmittable, MaxCredits } from '../../common/validation';
import { REFERENCE_PATTERN } from '../account.dto';
import { IsCurrencyAmount } from '../currency-amount.validator';

export class TopUpRefundDto {
  @ApiPropertyOptional({
    example: '5',
    description: 'credits to refund; omit both amounts to refund all that is left of the top-up',
  })
  @IsOmittable()
  @IsCreditAmount()
  @MaxCredits(MAX_CREDIT_AMOUNT_MICROS)
  amount?: string | number;

  @ApiPropertyOptional({
    example: '5.00',
    description: "an amount in the top-up's own currency, converted at the rate the top-up was credited at",
  })
  @IsOmittable()
  @IsCurrencyAmount()
  currencyAmount?: string | number;

  @ApiProperty({ example: 'rf_2026_0042', description: "the refund's id at the payment provider: refunds once" })
  @IsString()
  @Matches(REFERENCE_PATTERN, { message: 'reference must be 1–128 letters, digits, ".", "_", ":" or "-"' })
  reference: string;

  @ApiPropertyOptional({ example: 'customer asked to close the account' })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class TopUpChargebackDto {
  @ApiPropertyOptional({ example: 'dispute dp_123 lost' })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  note?: string;
}
