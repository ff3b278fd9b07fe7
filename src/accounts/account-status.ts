/** What a user and an admin see about an account's standing (§5 thresholds). */
export const ACCOUNT_STATUSES = ['ok', 'low', 'negative', 'suspended'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export interface StatusThresholds {
  lowBalanceThreshold: number;
  negativeBalanceThreshold: number;
}

/**
 * Suspension wins over any balance: a user whose instances are suspended must
 * be told so even after a top-up, until the threshold engine resumes them.
 * Thresholds are inclusive ("at or below"), as the settings page says.
 */
export function accountStatus(
  balance: number,
  billingSuspendedAt: Date | null,
  thresholds: StatusThresholds,
): AccountStatus {
  if (billingSuspendedAt) return 'suspended';
  if (balance <= thresholds.negativeBalanceThreshold) return 'negative';
  if (balance <= thresholds.lowBalanceThreshold) return 'low';
  return 'ok';
}

/** The accounts with one status, as a condition the database can apply: suspended or not, and a balance range. */
export interface AccountStatusFilter {
  suspended: boolean;
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
    case 'negative':
      return { suspended: false, balanceAtMost: thresholds.negativeBalanceThreshold };
    case 'low':
      return {
        suspended: false,
        balanceAbove: thresholds.negativeBalanceThreshold,
        balanceAtMost: thresholds.lowBalanceThreshold,
      };
    case 'ok':
      return { suspended: false, balanceAbove: thresholds.lowBalanceThreshold };
  }
}
