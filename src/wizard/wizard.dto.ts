import { ApiProperty } from '@nestjs/swagger';
import { IsIdValue } from '../catalog/catalog-params.dto';
import type { Money } from '../common/money';
import type { RefusalCode } from './creation-rules';
import type { Quote } from './wizard.service';

export class QuoteRequestDto {
  @ApiProperty({ example: 1 })
  @IsIdValue()
  planId: number;

  @ApiProperty({ example: 1 })
  @IsIdValue()
  locationId: number;
}

export class QuoteResponseDto {
  planId: number;
  locationId: number;
  /** Running costs in the viewer's currency, the monthly cap applied. */
  hourly: Money;
  daily: Money;
  monthly: Money;
  /** The plan's monthly price when it caps hourly billing, else null. */
  monthlyCap: Money | null;
  balance: Money;
  /** The balance once the first hour (for a monthly-only plan: the rest of the month) is charged. */
  balanceAfterFirstHour: Money;
  canCreate: boolean;
  /** Why not, in words for the user; null when canCreate. */
  reason: string | null;
  /** The same as a stable code for the page: plan-unavailable, location-unavailable, not-offered, no-capacity, negative-balance. */
  reasonCode: RefusalCode | null;
}

export function mapQuote(quote: Quote): QuoteResponseDto {
  const { figures, offer } = quote;
  const { money, unitPrice } = quote.view;
  return {
    planId: offer.plan.id,
    locationId: offer.location.id,
    hourly: unitPrice(figures.hourly),
    daily: money(figures.daily),
    monthly: money(figures.monthly),
    monthlyCap: figures.monthlyCap === null ? null : money(figures.monthlyCap),
    balance: money(offer.balance),
    balanceAfterFirstHour: money(figures.balanceAfterFirstHour),
    canCreate: offer.refusal === null,
    reason: offer.refusal?.reason ?? null,
    reasonCode: offer.refusal?.code ?? null,
  };
}
