import { randomUUID } from 'node:crypto';
import { GRANT_CATEGORIES, GRANT_FIELDS, REFUND_FIELDS } from './admin-account-forms';
import type { AdminLedgerEntry, AdminLedgerPage, CreditGrant, Money } from './api-types';
import { buildForm, fieldList, FormState } from './form-fields';
import { accountStatusText, formatDateTime, ledgerKindLabel } from './format';

export const ACCOUNT_PATH = (userId: string) => `/panel/admin/accounts/${encodeURIComponent(userId)}`;

/** What the last form did, said at the top of its section after the redirect. */
const DONE: Record<string, string> = {
  refund: 'Refund posted.',
  'refund-repeat': 'That refund was posted before (same reference): nothing more was refunded.',
  chargeback: 'Chargeback posted.',
  'chargeback-repeat': 'That top-up was charged back before: nothing more was taken.',
  grant: 'Credit granted.',
  'grant-repeat': 'That grant was posted before (same reference): nothing more was granted.',
};
export const doneNotice = (value: unknown) => (typeof value === 'string' ? (DONE[value] ?? null) : null);

export interface AccountQuery {
  /** The ledger page shown: entries below this id; null for the newest. */
  before: number | null;
  done: string | null;
}

/** A refused form as it was sent: which one (a refund names its top-up) and what was typed. */
export interface AccountFormState extends FormState {
  form: 'refund' | 'chargeback' | 'grant';
  entryId: number | null;
  reference: string;
}

const newReference = (kind: string) => `panel-${kind}-${randomUUID()}`;
const isZero = (money: Money) => /^0(\.0*)?$/.test(money.credits);

function refundForm(entry: AdminLedgerEntry, state: AccountFormState | undefined, before: number | null) {
  const mine = state && state.entryId === entry.id ? state : undefined;
  const refund = buildForm(`refund-${entry.id}`, REFUND_FIELDS, {}, mine?.form === 'refund' ? mine : undefined);
  const chargebackErrors = mine?.form === 'chargeback' ? mine.errors.map((e) => ({ href: '', text: e.message })) : [];
  const left = entry.refundable as Money;
  return {
    action: `${ACCOUNT_PATH(entry.userId)}/ledger/${entry.id}/refund`,
    chargebackAction: `${ACCOUNT_PATH(entry.userId)}/ledger/${entry.id}/chargeback`,
    // Made when the page is shown (kept after a refusal, which wrote nothing): a double submit refunds once.
    reference: mine?.form === 'refund' ? mine.reference : newReference('refund'),
    before: before === null ? '' : String(before),
    fields: fieldList(refund),
    // An amount refused is said beside the field; only what names no field of the form goes above it.
    errors: [...refund.summary.filter((item) => item.href === ''), ...chargebackErrors],
    confirm:
      `Charge back the ${left.formatted} (${left.credits} credits) left of top-up #${entry.id}? ` +
      'Use it when the bank reversed the payment: it is taken even if the balance goes below 0.',
  };
}

function ledgerRow(entry: AdminLedgerEntry, state: AccountFormState | undefined, before: number | null) {
  const refundable = entry.refundable !== null && !isZero(entry.refundable);
  return {
    id: entry.id,
    when: formatDateTime(entry.createdAt),
    kind: ledgerKindLabel(entry.kind),
    amount: entry.amount.formatted,
    credits: entry.amount.credits,
    balanceAfter: entry.balanceAfter.formatted,
    reference: entry.reference,
    note: entry.note ?? '',
    createdBy: entry.createdBy ?? 'billing',
    reverses: entry.reversesEntryId === null ? '' : `reverses #${entry.reversesEntryId}`,
    left: entry.refundable === null ? '' : `${entry.refundable.formatted} left to refund`,
    actions: refundable ? refundForm(entry, state, before) : null,
  };
}

function grantRow(grant: CreditGrant) {
  return {
    id: grant.id,
    category: grant.category === 'promotional' ? 'Promotional' : 'Paid',
    amount: grant.amount.formatted,
    remaining: grant.remaining.formatted,
    priority: grant.priority,
    expires: grant.expiresAt ? formatDateTime(grant.expiresAt) : 'never',
    closed: grant.closedAt ? formatDateTime(grant.closedAt) : '',
    reference: grant.reference,
  };
}

export function accountView(
  userId: string,
  ledger: AdminLedgerPage,
  grants: CreditGrant[],
  query: AccountQuery,
  state?: AccountFormState,
) {
  const grant = buildForm(
    'grant',
    GRANT_FIELDS,
    { category: 'promotional' },
    state?.form === 'grant' ? state : undefined,
  );
  const { credit } = ledger;
  return {
    userId,
    balance: ledger.balance.formatted,
    credits: ledger.balance.credits,
    status: ledger.status,
    statusText: accountStatusText(ledger.status),
    paid: credit.paid.formatted,
    promotional: credit.promotional.formatted,
    nextExpiry: credit.nextExpiry
      ? `${credit.nextExpiry.amount.formatted} expires ${formatDateTime(credit.nextExpiry.at)}`
      : '',
    done: query.done ? doneNotice(query.done) : null,
    entries: ledger.entries.map((entry) => ledgerRow(entry, state, query.before)),
    olderHref: ledger.nextBefore === null ? '' : `${ACCOUNT_PATH(userId)}?before=${ledger.nextBefore}#ledger`,
    newestHref: query.before === null ? '' : `${ACCOUNT_PATH(userId)}#ledger`,
    grants: grants.map(grantRow),
    grantForm: {
      action: `${ACCOUNT_PATH(userId)}/grants#grant-form`,
      reference: state?.form === 'grant' ? state.reference : newReference('grant'),
      fields: fieldList(grant, { category: GRANT_CATEGORIES }),
      errors: grant.summary,
    },
  };
}
