import type { Money } from '../common/money';
import type { PromoCodeEntity } from './promo-code.entity';
import type { PromoCodeResponseDto } from './promo-code.dto';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function mapPromoCode(code: PromoCodeEntity, money: (micros: number) => Money): PromoCodeResponseDto {
  return {
    code: code.code,
    amount: money(code.amount),
    priority: code.priority,
    codeExpiresAt: iso(code.codeExpiresAtMs),
    creditExpiresAt: iso(code.creditExpiresAtMs),
    creditValidDays: code.creditValidDays,
    maxRedemptions: code.maxRedemptions,
    maxPerUser: code.maxPerUser,
    newAccountsOnly: code.newAccountsOnly,
    redemptions: code.redemptions,
  };
}

export { iso as isoOrNull };
