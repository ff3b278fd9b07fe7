import { ApiProperty } from '@nestjs/swagger';
import type { Money } from '../common/money';
import { RULE_KINDS, RULE_STATES } from '../metering/metering.types';
import type { RuleKind, RuleState } from '../metering/metering.types';
import type { CounterLine, RuleLine } from './metered-lines';

/** The OpenAPI shape of an amount shown to a user (SPEC §9, "Money"). */
export class MoneyDto implements Money {
  @ApiProperty({ example: '150', description: 'credits, as a decimal string' })
  credits: string;

  @ApiProperty({
    example: '1.50',
    description: 'in the viewer’s currency, rounded to its decimals (a price: up to 6 more)',
  })
  amount: string;

  @ApiProperty({ example: 'USD' })
  currency: string;

  @ApiProperty({ example: '$1.50' })
  formatted: string;
}

export class QuoteRuleLineDto implements RuleLine {
  @ApiProperty({ example: 'ipv4' })
  key: string;

  @ApiProperty({ example: 'IPv4 address' })
  name: string;

  @ApiProperty({ example: 'address' })
  unit: string;

  @ApiProperty({
    enum: RULE_KINDS,
    description: 'postpaid: for the time used, with the hour; prepaid: at the start of each period',
  })
  kind: RuleKind;

  @ApiProperty({ example: 2_592_000, description: 'the period `price` is for; 0: a one-off, charged once at creation' })
  periodSeconds: number;

  @ApiProperty({ type: MoneyDto, description: 'one unit for one period (a one-off: one unit, once)' })
  price: Money;

  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description: 'one unit for an hour (price × 3600 / periodSeconds, rounded to a micro-credit); null for a one-off',
  })
  hourlyPerUnit: Money | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '1',
    description: 'units every instance comes with (a fixed quantity); null when the host reports the quantity as used',
  })
  included: string | null;

  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description: 'the included units for an hour; null for a one-off or a reported quantity',
  })
  hourly: Money | null;

  @ApiProperty({ enum: RULE_STATES, isArray: true, example: ['running', 'stopped', 'suspended'] })
  billedIn: RuleState[];

  @ApiProperty({ description: 'whether the quote’s hourly, daily and monthly figures count it' })
  inEstimate: boolean;

  @ApiProperty({ example: 'IPv4 address: $0.00013889 an hour, 1 included', description: 'the line in words' })
  text: string;
}

export class QuotePriceRangeDto {
  @ApiProperty({
    example: '1000',
    description: 'measurement units used in the calendar month from which `price` applies',
  })
  from: string;

  @ApiProperty({ type: MoneyDto, description: 'per measurement unit' })
  price: Money;
}

export class QuoteCounterLineDto implements CounterLine {
  @ApiProperty({ example: 'traffic-out' })
  key: string;

  @ApiProperty({ example: 'Outgoing traffic' })
  name: string;

  @ApiProperty({ example: 'GB' })
  unitName: string;

  @ApiProperty({ example: '1', description: 'how many of unitName a range price is for' })
  measurementUnit: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '1000',
    description: 'measurement units a month free of charge before the first priced range; null when no range is priced',
  })
  included: string | null;

  @ApiProperty({ type: [QuotePriceRangeDto], description: 'graduated per calendar month in the billing time zone' })
  ranges: QuotePriceRangeDto[];

  @ApiProperty({
    example: 'Outgoing traffic: first 1,000 GB a month included, then $0.0001 per GB',
    description: 'the line in words',
  })
  text: string;
}
