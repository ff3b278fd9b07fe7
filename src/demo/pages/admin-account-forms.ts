import type { FieldDefinition } from './form-fields';

/** A refund of one top-up; its reference is a hidden field made when the page is shown. */
export const REFUND_FIELDS: FieldDefinition[] = [
  {
    name: 'amount',
    label: 'Credits to refund',
    hint: 'Leave empty to refund all that is left.',
    kind: 'credits',
    omitWhenEmpty: true,
  },
];

export const GRANT_CATEGORIES = [
  { value: 'promotional', label: 'Promotional (used first, may expire)' },
  { value: 'paid', label: 'Paid' },
];

/** A credit grant; its reference is a hidden field made when the page is shown, so a double submit grants once. */
export const GRANT_FIELDS: FieldDefinition[] = [
  { name: 'amount', label: 'Credits to grant', hint: 'In credits, e.g. 500.', kind: 'credits', required: true },
  { name: 'category', label: 'Category', kind: 'select', required: true },
  {
    name: 'priority',
    label: 'Priority',
    hint: '0 to 100; among grants of a category, higher is used first.',
    kind: 'integer',
    omitWhenEmpty: true,
  },
  {
    name: 'expiresAt',
    label: 'Expires at (UTC)',
    hint: 'Leave empty: it never expires. What is left then leaves the balance.',
    kind: 'datetime',
    omitWhenEmpty: true,
  },
  { name: 'note', label: 'Note', hint: 'Optional, shown in the ledger.', kind: 'text', omitWhenEmpty: true },
];

/** PromoCodeCreateDto's fields, in the order the form shows them. */
export const PROMO_CODE_FIELDS: FieldDefinition[] = [
  {
    name: 'code',
    label: 'Code',
    hint: '3–64 letters, digits, "_" or "-"; stored in upper case.',
    kind: 'text',
    required: true,
  },
  { name: 'amount', label: 'Credits per redemption', kind: 'credits', required: true },
  {
    name: 'maxRedemptions',
    label: 'Redemptions in all',
    hint: 'Leave empty: no limit.',
    kind: 'integer',
    omitWhenEmpty: true,
  },
  { name: 'maxPerUser', label: 'Redemptions per user', hint: 'Default 1.', kind: 'integer', omitWhenEmpty: true },
  {
    name: 'codeExpiresAt',
    label: 'Code expires at (UTC)',
    hint: 'Refused after this; empty: until ended.',
    kind: 'datetime',
    omitWhenEmpty: true,
  },
  {
    name: 'creditExpiresAt',
    label: 'Credit expires at (UTC)',
    hint: 'The credit it grants expires then…',
    kind: 'datetime',
    omitWhenEmpty: true,
  },
  {
    name: 'creditValidDays',
    label: 'Or credit valid for (days)',
    hint: '…or this many days after it is redeemed (not both). Empty: never expires.',
    kind: 'integer',
    omitWhenEmpty: true,
  },
  {
    name: 'priority',
    label: 'Priority',
    hint: '0 to 100; higher is used first.',
    kind: 'integer',
    omitWhenEmpty: true,
  },
  { name: 'newAccountsOnly', label: 'New accounts only (no ledger entry yet)', kind: 'boolean' },
];
