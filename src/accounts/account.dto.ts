import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { formatScaledDecimal, Money, RATE_DIGITS } from '../common/money';
import { MAX_BALANCE_CREDITS, MAX_CREDIT_AMOUNT_CREDITS, MAX_CREDIT_AMOUNT_MICROS } from '../common/money-bounds';
import { IsOmittable, IsSignedCreditAmount, MaxCredits } from '../common/validation';
import { ACCOUNT_STATUSES, AccountStatus } from './account-status';
import type { LedgerEntryEntity, LedgerKind } from './account.entity';
import { IsCurrencyAmount } from './currency-amount.validator';
import type { AccountCreditSplitResponseDto } from './grants/grant.dto';
import type { CreditSplit } from './grants/grant.service';

export const CREDIT_KINDS = ['topup', 'adjustment', 'refund'] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];

export const REFERENCE_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const upperCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

/** Query strings are text: digits become a number, anything else stays as sent so @IsInt names the parameter. */
const integerText = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;

const CREDIT_LIMIT = MAX_CREDIT_AMOUNT_CREDITS.toLocaleString('en-US');
const BALANCE_LIMIT = MAX_BALANCE_CREDITS.toLocaleString('en-US');

/** An amount given in credits or in a currency, with the reference that makes posting it idempotent. */
export class CreditAmountDto {
  @ApiPropertyOptional({
    example: '25',
    description:
      `credits, at most ${CREDIT_LIMIT} either way; exactly one of amount and currencyAmount. ` +
      `Refused when it would take the balance beyond ±${BALANCE_LIMIT} credits`,
  })
  @IsOmittable()
  @IsSignedCreditAmount()
  @MaxCredits(MAX_CREDIT_AMOUNT_MICROS, { eitherWay: true })
  amount?: string | number;

  @ApiPropertyOptional({
    example: '10.00',
    description: `an amount in \`currency\`, converted at its value per credit to at most ${CREDIT_LIMIT} credits`,
  })
  @IsOmittable()
  @IsCurrencyAmount()
  currencyAmount?: string | number;

  @ApiPropertyOptional({ example: 'EUR', description: 'an existing currency code; with currencyAmount only' })
  @IsOmittable()
  @Transform(upperCase)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter currency code (e.g. "EUR")' })
  currency?: string;

  @ApiProperty({
    example: 'pay_2026_0042',
    description:
      'idempotency reference, e.g. the payment id: the same reference (for the same kind) credits once; ' +
      'a repeat answers the first entry even if its amount differs',
  })
  @IsString()
  @Matches(REFERENCE_PATTERN, {
    message: 'reference must be 1–128 letters, digits, ".", "_", ":" or "-" (e.g. a payment id)',
  })
  reference: string;

  @ApiPropertyOptional({ example: 'goodwill credit after the outage', description: 'required for an adjustment' })
  @IsOmittable()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class AccountCreditDto extends CreditAmountDto {
  @ApiPropertyOptional({ enum: CREDIT_KINDS, default: 'topup' })
  @IsOmittable()
  @IsIn(CREDIT_KINDS)
  kind?: CreditKind;
}

export class LedgerQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOmittable()
  @Transform(integerText)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'an entry id: the page starts just below it (nextBefore of the previous page)' })
  @IsOmittable()
  @Transform(integerText)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;
}

export class AccountListQueryDto {
  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES })
  @IsOmittable()
  @IsIn(ACCOUNT_STATUSES)
  status?: AccountStatus;
}

export class LedgerEntryResponseDto {
  id: number;
  kind: LedgerKind;
  amount: Money;
  balanceAfter: Money;
  /** The idempotency reference without its "<kind>:" prefix. */
  reference: string;
  note: string | null;
  currencyAmount: string | null;
  currency: string | null;
  valuePerCredit: string | null;
  createdAt: string;
}

export class AdminLedgerEntryResponseDto extends LedgerEntryResponseDto {
  userId: string;
  createdBy: string | null;
  /** For a top-up refund or chargeback: the id of the top-up it reverses. */
  reversesEntryId: number | null;
}

/** An entry of the admin's ledger page; a top-up also says how much of it is left to refund. */
export class AdminLedgerPageEntryResponseDto extends AdminLedgerEntryResponseDto {
  /** For a top-up: its amount less the refunds and chargebacks of it so far; null for any other entry. */
  refundable: Money | null;
}

export class AdminLedgerPageResponseDto {
  entries: AdminLedgerPageEntryResponseDto[];
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: number | null;
  /** The account's balance now, in the account owner's currency. */
  balance: Money;
  status: AccountStatus;
  /** The balance as paid and promotional credit, and what expires next. */
  credit: AccountCreditSplitResponseDto;
}

export class AccountCreditResponseDto {
  entry: AdminLedgerEntryResponseDto;
  /** The account's balance now, in the account owner's currency. */
  balance: Money;
  created: boolean;
}

export class AccountResponseDto {
  balance: Money;
  status: AccountStatus;
  /** The currency amounts are shown in: the user's preferred one, or the default. */
  currency: string;
  /** The balance as paid and promotional credit, and what expires next. */
  credit: AccountCreditSplitResponseDto;
}

export function mapCreditSplit(split: CreditSplit, money: (micros: number) => Money): AccountCreditSplitResponseDto {
  return {
    paid: money(split.paid),
    promotional: money(split.promotional),
    nextExpiry: split.nextExpiry
      ? { amount: money(split.nextExpiry.amount), at: new Date(split.nextExpiry.atMs).toISOString() }
      : null,
  };
}

export class LedgerPageResponseDto {
  entries: LedgerEntryResponseDto[];
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: number | null;
}

export class AccountSummaryResponseDto {
  userId: string;
  /** Credits, as a decimal string. */
  credits: string;
  /** The balance in the default currency. */
  balance: Money;
  status: AccountStatus;
}

/** The idempotency key without its "<kind>:" prefix, which is what the poster called the reference. */
export function ledgerReference(entry: Pick<LedgerEntryEntity, 'kind' | 'idempotencyKey'>): string {
  const prefix = `${entry.kind}:`;
  return entry.idempotencyKey.startsWith(prefix) ? entry.idempotencyKey.slice(prefix.length) : entry.idempotencyKey;
}

export function mapLedgerEntry(entry: LedgerEntryEntity, money: (micros: number) => Money): LedgerEntryResponseDto {
  return {
    id: entry.id,
    kind: entry.kind,
    amount: money(entry.amount),
    balanceAfter: money(entry.balanceAfter),
    reference: ledgerReference(entry),
    note: entry.note,
    currencyAmount: entry.currencyAmount,
    currency: entry.currencyCode,
    valuePerCredit:
      entry.valuePerCreditNanos === null ? null : formatScaledDecimal(entry.valuePerCreditNanos, RATE_DIGITS),
    createdAt: entry.createdAt.toISOString(),
  };
}

export function mapAdminLedgerEntry(
  entry: LedgerEntryEntity,
  money: (micros: number) => Money,
): AdminLedgerEntryResponseDto {
  return {
    ...mapLedgerEntry(entry, money),
    userId: entry.userId,
    createdBy: entry.createdBy,
    reversesEntryId: entry.reversesEntryId,
  };
}
