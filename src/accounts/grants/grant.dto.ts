import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, Max, Min } from 'class-validator';
import type { Money } from '../../common/money';
import { IsOmittable } from '../../common/validation';
import { CreditAmountDto } from '../account.dto';
import type { CreditGrantEntity } from './credit-grant.entity';
import { GRANT_CATEGORIES, type GrantCategory } from './grant-draws';

export const MAX_GRANT_PRIORITY = 100;

export class AccountGrantDto extends CreditAmountDto {
  @ApiPropertyOptional({
    enum: GRANT_CATEGORIES,
    default: 'promotional',
    description: 'charges use promotional credit before paid',
  })
  @IsOmittable()
  @IsIn(GRANT_CATEGORIES)
  category?: GrantCategory;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_GRANT_PRIORITY, default: 0, description: 'higher is used first' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_GRANT_PRIORITY)
  priority?: number;

  @ApiPropertyOptional({
    example: '2026-12-31T23:00:00Z',
    description: 'when what is left of it expires (must be in the future); omitted: never',
  })
  @IsOmittable()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class CreditGrantResponseDto {
  id: number;
  category: GrantCategory;
  priority: number;
  amount: Money;
  remaining: Money;
  expiresAt: string | null;
  /** Closed: expired (what was left went out as an `expiry` entry) — null while open. */
  closedAt: string | null;
  /** The reference of the ledger entry that brought it in. */
  reference: string;
}

/** The balance split into paid and promotional credit, and the next expiry. */
export class AccountCreditSplitResponseDto {
  paid: Money;
  promotional: Money;
  /** The next grant to expire with something left, or null. */
  nextExpiry: { amount: Money; at: string } | null;
}

export function mapCreditGrant(grant: CreditGrantEntity, money: (micros: number) => Money): CreditGrantResponseDto {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: grant.id,
    category: grant.category,
    priority: grant.priority,
    amount: money(grant.amount),
    remaining: money(grant.remaining),
    expiresAt: iso(grant.expiresAtMs),
    closedAt: iso(grant.closedAtMs),
    reference: grant.idempotencyKey.slice(grant.idempotencyKey.indexOf(':') + 1),
  };
}
