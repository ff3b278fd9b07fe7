import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { IsCurrencyAmount } from '../accounts/currency-amount.validator';
import type { Money } from '../common/money';
import { IsOmittable } from '../common/validation';
import {
  BUDGET_ACTIONS,
  type BudgetAction,
  DEFAULT_ALERT_LEVELS,
  forecastSentence,
  MAX_ALERT_LEVEL,
  MAX_ALERT_LEVELS,
  MIN_ALERT_LEVEL,
} from './budget-rules';
import type { BudgetStatus } from './budget-status.service';

const upperCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** PUT /me/budget: the whole budget, replaced (a set, so sending it again changes nothing). */
export class BudgetUpdateDto {
  @ApiProperty({
    example: '50',
    description: "the monthly budget in the user's display currency (0 or more; at most 1,000,000,000 credits)",
  })
  @IsCurrencyAmount()
  amount: string | number;

  @ApiPropertyOptional({
    example: 'EUR',
    description: 'the currency `amount` is in; must be the display currency (GET /me/preferences) when sent',
  })
  @IsOmittable()
  @Transform(upperCase)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter currency code (e.g. "EUR")' })
  currency?: string;

  @ApiPropertyOptional({
    example: DEFAULT_ALERT_LEVELS,
    description: `percent levels to be alerted at, ${MIN_ALERT_LEVEL}–${MAX_ALERT_LEVEL}, distinct, at most ${MAX_ALERT_LEVELS}; 100 is always alerted`,
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ALERT_LEVELS)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(MIN_ALERT_LEVEL, { each: true })
  @Max(MAX_ALERT_LEVEL, { each: true })
  alertLevels?: number[];

  @ApiPropertyOptional({ enum: BUDGET_ACTIONS, default: 'alert', description: 'what happens at 100 %' })
  @IsOmittable()
  @IsIn(BUDGET_ACTIONS)
  action?: BudgetAction;
}

export class BudgetForecastResponseDto {
  @ApiProperty({ example: '2026-03-24', description: 'the local date (billing time zone) the budget is reached' })
  date: string;
  @ApiProperty({ example: 'At this rate you will reach your budget on the 24th.' })
  sentence: string;
}

export class BudgetResponseDto {
  @ApiProperty({ example: '2026-03', description: 'the current month in the billing time zone' })
  month: string;
  @ApiProperty({ example: 'EUR', description: 'the display currency the amounts are in' })
  currency: string;
  /** The budget, in the display currency now. */
  budget: Money;
  @ApiProperty({ example: { amount: '50', currency: 'EUR' }, description: 'the amount as it was set' })
  setAs: { amount: string; currency: string };
  @ApiProperty({ example: DEFAULT_ALERT_LEVELS })
  alertLevels: number[];
  @ApiProperty({ enum: BUDGET_ACTIONS })
  action: BudgetAction;
  /** Spent this month: −(charges + adjustments) of its settled hours. */
  spent: Money;
  @ApiProperty({ nullable: true, example: 42.5, description: 'null for a budget of 0' })
  percentUsed: number | null;
  @ApiProperty({ example: [50], description: 'the alert levels (100 always among them) reached this month' })
  levelsReached: number[];
  @ApiProperty({ type: BudgetForecastResponseDto, nullable: true, description: 'null unless reached this month' })
  forecast: BudgetForecastResponseDto | null;
  @ApiProperty({ description: 'the action is block-new and the budget is used up: no new instances this month' })
  blocksNewInstances: boolean;
}

export function mapBudget(status: BudgetStatus): BudgetResponseDto {
  const { money } = status.view;
  return {
    month: status.month.key,
    currency: status.view.currency.code,
    budget: money(status.settings.amount),
    setAs: { amount: status.settings.currencyAmount, currency: status.settings.currencyCode },
    alertLevels: status.settings.alertLevels,
    action: status.settings.action,
    spent: money(status.spend),
    percentUsed: status.percentUsed,
    levelsReached: status.levelsReached,
    forecast: status.forecast && { date: status.forecast.date, sentence: forecastSentence(status.forecast.date) },
    blocksNewInstances: status.blocksNewInstances,
  };
}
