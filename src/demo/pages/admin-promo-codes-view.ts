import { PROMO_CODE_FIELDS } from './admin-account-forms';
import type { PromoCode } from './api-types';
import { buildForm, fieldList, FormState } from './form-fields';
import { formatDateTime } from './format';

export const PROMO_CODES_PATH = '/panel/admin/promo-codes';

const SAVED: Record<string, string> = {
  created: 'Promo code saved.',
  ended: 'Promo code ended: it can no longer be redeemed. The credit it granted stays.',
};
export const savedNotice = (value: unknown) => (typeof value === 'string' ? (SAVED[value] ?? null) : null);

function creditExpiry(code: PromoCode): string {
  if (code.creditExpiresAt) return formatDateTime(code.creditExpiresAt);
  if (code.creditValidDays) return `${code.creditValidDays} days after redemption`;
  return 'never';
}

function codeRow(code: PromoCode, nowMs: number) {
  const ended = code.codeExpiresAt !== null && Date.parse(code.codeExpiresAt) <= nowMs;
  return {
    code: code.code,
    amount: code.amount.formatted,
    credits: code.amount.credits,
    redemptions: `${code.redemptions} / ${code.maxRedemptions ?? 'no limit'}`,
    perUser: code.maxPerUser,
    newAccountsOnly: code.newAccountsOnly ? 'yes' : 'no',
    codeExpiry: code.codeExpiresAt ? formatDateTime(code.codeExpiresAt) : 'never',
    creditExpiry: creditExpiry(code),
    ended,
    endAction: `${PROMO_CODES_PATH}/${encodeURIComponent(code.code)}/end`,
    confirm: `End ${code.code} now? It can no longer be redeemed; the credit it granted stays.`,
  };
}

export function promoCodesView(codes: PromoCode[], nowMs: number, saved: string | null, state?: FormState) {
  const form = buildForm('promo', PROMO_CODE_FIELDS, { newAccountsOnly: false }, state);
  return {
    saved,
    codes: codes.map((code) => codeRow(code, nowMs)),
    form: { fields: fieldList(form), errors: form.summary },
  };
}
