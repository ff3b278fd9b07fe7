/**
 * What a user and an admin see about an account's standing (§5 thresholds). `no_credit`: the account has no
 * ledger entry at all, so its balance of 0 is a start, not a debt (a default negative threshold of 0 would
 * otherwise call a brand-new user "negative").
 */
export const ACCOUNT_STATUSES = ['ok', 'low', 'negative', 'suspended', 'no_credit'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface StatusThresholds {
  lowBalanceThreshold: number;
  negativeBalanceThreshold: number;
}

/** What the status is read from; `hasEntries` is false when the user's ledger is empty. */
export interface AccountStanding {
  balance: number;
  billingSuspendedAtMs: number | null;
  hasEntries: boolean;
}

/**
 * Suspension wins over any balance: a user whose instances are suspended must
 * be told so even after a top-up, until the threshold engine resumes them.
 * An empty ledger comes next, whatever the thresholds: that user never had credit.
 * Thresholds are inclusive ("at or below"), as the settings page says.
 */
export function accountStatus(
  { balance, billingSuspendedAtMs, hasEntries }: AccountStanding,
  thresholds: StatusThresholds,
): AccountStatus {
  if (billingSuspendedAtMs !== null) return 'suspended';
  if (!hasEntries) return 'no_credit';
  if (balance <= thresholds.negativeBalanceThreshold) return 'negative';
  if (balance <= thresholds.lowBalanceThreshold) return 'low';
  return 'ok';
}

/**
 * The accounts with one status, as a condition the database can apply: suspended or not, with ledger entries or
 * not, and a balance range.
 */
export interface AccountStatusFilter {
  suspended: boolean;
  /** Omitted: either. */
  hasEntries?: boolean;
  /** Balance strictly greater than this. */
  balanceAbove?: number;
  /** Balance at or below this. */
  balanceAtMost?: number;
}

/** The same rule as accountStatus, so a filtered list and each account's own status always agree. */
export function accountStatusFilter(status: AccountStatus, thresholds: StatusThresholds): AccountStatusFilter {
  switch (status) {
    case 'suspended':
      return { suspended: true };
    case 'no_credit':
      return { suspended: false, hasEntries: false };
    case 'negative':
      return { suspended: false, hasEntries: true, balanceAtMost: thresholds.negativeBalanceThreshold };
    case 'low':
      return {
        suspended: false,
        hasEntries: true,
        balanceAbove: thresholds.negativeBalanceThreshold,
        balanceAtMost: thresholds.lowBalanceThreshold,
      };
    case 'ok':
      return { suspended: false, hasEntries: true, balanceAbove: thresholds.lowBalanceThreshold };
  }
}
