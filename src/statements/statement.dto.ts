import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { formatScaledDecimal, type CurrencyFormat, type Money, RATE_DIGITS, toMoney } from '../common/money';
import { IsOmittable } from '../common/validation';
import { MONTH_PATTERN } from '../reports/report-calendar';
import type { StatementEntity, StatementLineEntity } from './statement.entities';
import { STATEMENT_SECTIONS, type StatementSection, statementTotals } from './statement-lines';

export const MONTH_MESSAGE = 'must be a month written YYYY-MM (e.g. "2026-03")';

export class StatementQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: the statement as a CSV download' })
  @IsOmittable()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class AdminStatementsQueryDto {
  @ApiProperty({ example: '2026-03', description: 'YYYY-MM: the month whose statements to list' })
  @Matches(MONTH_PATTERN, { message: `month ${MONTH_MESSAGE}` })
  month: string;
}

export class StatementLineResponseDto {
  @ApiProperty({ enum: STATEMENT_SECTIONS })
  section: StatementSection;
  @ApiProperty({
    example: 'instance',
    description: 'the ledger kind, or for charges: instance, rule, counter, or correction (of earlier months)',
  })
  kind: string;
  @ApiProperty({ example: 'web-1: Small' })
  description: string;
  @ApiProperty({ example: '720 hours', nullable: true })
  detail: string | null;
  @ApiProperty({ nullable: true })
  instanceId: string | null;
  @ApiProperty({ example: '2026-03-04T10:00:00.000Z', nullable: true, description: 'when it happened; null for usage' })
  date: string | null;
  @ApiProperty({ description: 'signed: positive credits the account, negative debits it' })
  amount: Money;
}

export class StatementSummaryResponseDto {
  @ApiProperty({ example: 1, description: 'sequential per installation, never reused, no gaps' })
  number: number;
  @ApiProperty({ example: '2026-03' })
  month: string;
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' })
  periodStart: string;
  @ApiProperty({ example: '2026-04-01T00:00:00.000Z', description: 'excluded' })
  periodEnd: string;
  closedAt: string;
  @ApiProperty({ example: 'USD', description: "the user's display currency at closing" })
  currency: string;
  openingBalance: Money;
  closingBalance: Money;
}

export class StatementResponseDto extends StatementSummaryResponseDto {
  userId: string;
  @ApiProperty({ example: 'Europe/Amsterdam', description: 'the billing time zone the month was cut in' })
  timeZone: string;
  @ApiProperty({ example: '0.01', description: 'the value of a credit in `currency` used for every amount' })
  valuePerCredit: string;
  @ApiProperty({ description: 'per section, signed' })
  totals: Record<StatementSection, Money>;
  @ApiProperty({ type: [StatementLineResponseDto] })
  lines: StatementLineResponseDto[];
}

export class AdminStatementResponseDto extends StatementSummaryResponseDto {
  userId: string;
}

export const currencyOf = (statement: StatementEntity): CurrencyFormat => ({
  code: statement.currencyCode,
  valuePerCreditNanos: statement.valuePerCreditNanos,
  prefix: statement.currencyPrefix,
  suffix: statement.currencySuffix,
  decimals: statement.currencyDecimals,
});

const iso = (ms: number) => new Date(ms).toISOString();

export function mapStatementSummary(statement: StatementEntity): StatementSummaryResponseDto {
  const currency = currencyOf(statement);
  return {
    number: statement.number,
    month: statement.month,
    periodStart: iso(statement.periodStartMs),
    periodEnd: iso(statement.periodEndMs),
    closedAt: iso(statement.closedAtMs),
    currency: statement.currencyCode,
    openingBalance: toMoney(statement.openingBalance, currency),
    closingBalance: toMoney(statement.closingBalance, currency),
  };
}

export function mapStatement(statement: StatementEntity, lines: StatementLineEntity[]): StatementResponseDto {
  const currency = currencyOf(statement);
  const totals = statementTotals(statement.openingBalance, lines as { section: StatementSection; amount: number }[]);
  return {
    ...mapStatementSummary(statement),
    userId: statement.userId,
    timeZone: statement.timeZone,
    valuePerCredit: formatScaledDecimal(statement.valuePerCreditNanos, RATE_DIGITS),
    totals: Object.fromEntries(
      STATEMENT_SECTIONS.map((section) => [section, toMoney(totals.sections[section], currency)]),
    ) as Record<StatementSection, Money>,
    lines: lines.map((line) => ({
      section: line.section as StatementSection,
      kind: line.kind,
      description: line.description,
      detail: line.detail,
      instanceId: line.instanceId,
      date: line.occurredAtMs === null ? null : iso(line.occurredAtMs),
      amount: toMoney(line.amount, currency),
    })),
  };
}
