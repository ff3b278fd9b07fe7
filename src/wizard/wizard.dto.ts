import { ApiProperty } from '@nestjs/swagger';
import { IsIdValue } from '../catalog/catalog-params.dto';
import type { Money } from '../common/money';
import { REFUSAL_CODES, type RefusalCode } from './creation-rules';
import { MoneyDto, QuoteCounterLineDto, QuoteRuleLineDto } from './quote-lines.dto';
import type { Quote } from './wizard.service';

export class QuoteRequestDto {
  @ApiProperty({ example: 1 })
  @IsIdValue()
  planId: number;

  @ApiProperty({ example: 1 })
  @IsIdValue()
  locationId: number;
}

const ESTIMATE =
  'the plan’s running price (the monthly cap applied to it) plus its resource rules with a fixed quantity that ' +
  'bill while running, postpaid or prepaid, at their average over time (`inEstimate` on each rule). Not included: ' +
  'rules whose quantity the host reports, one-off rules, and counters, whose use is not known before it happens';

export class QuoteResponseDto {
  @ApiProperty({ example: 1 })
  planId: number;

  @ApiProperty({ example: 1 })
  locationId: number;

  @ApiProperty({ type: MoneyDto, description: `an hour of running: ${ESTIMATE}` })
  hourly: Money;

  @ApiProperty({ type: MoneyDto, description: '24 hours of running, as `hourly`' })
  daily: Money;

  @ApiProperty({ type: MoneyDto, description: 'a month of 730 hours running, as `hourly`' })
  monthly: Money;

  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description: 'the plan’s monthly price when it caps its hourly billing (the rules are not capped), else null',
  })
  monthlyCap: Money | null;

  @ApiProperty({ type: MoneyDto })
  balance: Money;

  @ApiProperty({
    type: MoneyDto,
    description:
      'the balance once the first hour is charged: an hour of the plan (a monthly-only plan: the rest of the month) ' +
      'and of its fixed-quantity rules that bill while running, a prepaid one for its first period, a one-off one once',
  })
  balanceAfterFirstHour: Money;

  @ApiProperty({
    type: MoneyDto,
    description:
      'the balance creating needs: `creationCreditHours` hours of this plan (a monthly-only one at its hourly share) ' +
      'and of the user’s other live instances at their current burn, instances still being created included; ' +
      '0 when the setting is 0 or a negative balance is allowed',
  })
  creditNeeded: Money;

  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description:
      'how much more credit creating needs (`reasonCode` insufficient-credit); null when the balance covers it',
  })
  creditShortfall: Money | null;

  @ApiProperty()
  canCreate: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'why not, in words for the user; null when canCreate' })
  reason: string | null;

  @ApiProperty({ enum: REFUSAL_CODES, nullable: true, description: 'the same as a stable code, for a page' })
  reasonCode: RefusalCode | null;

  @ApiProperty({
    type: [QuoteRuleLineDto],
    description: 'the plan’s resource rules, by key: billed on top of the plan’s price',
  })
  rules: QuoteRuleLineDto[];

  @ApiProperty({
    type: [QuoteCounterLineDto],
    description: 'the metered counters that apply to the plan, by key: use billed by price ranges each calendar month',
  })
  counters: QuoteCounterLineDto[];
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
    creditNeeded: money(offer.credit.creditNeeded),
    creditShortfall: offer.refusal?.shortfall === undefined ? null : money(offer.refusal.shortfall),
    canCreate: offer.refusal === null,
    reason: offer.refusal?.reason ?? null,
    reasonCode: offer.refusal?.code ?? null,
    rules: quote.rules,
    counters: quote.counters,
  };
}
