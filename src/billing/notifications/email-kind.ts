/** The emails the threshold engine (and the budgets above it) sends; also the `kind` a host's BillingNotifier receives. */
export const EMAIL_KINDS = [
  'low-balance',
  'negative-balance',
  'runway-warning',
  'suspended',
  'unsuspended',
  'terminated',
  'budget-alert',
  'budget-forecast',
  // Sent by the payments feature, once per failed auto top-up attempt.
  'auto-top-up-failed',
] as const;

export type EmailKind = (typeof EMAIL_KINDS)[number];

/** What every email may show; amounts are already converted and formatted in the user's currency. */
export interface EmailContext {
  displayName: string;
  balance: string;
  /** The threshold the email is about (low, negative or suspension), formatted. */
  threshold: string;
  /** From runwayInWords(): how long the credit lasts at the current burn rate; null when nothing burns. */
  runway: string | null;
  topUpUrl?: string | null;
  /** The instances suspended, resumed, terminated or (budget) stopped. */
  instanceNames?: string[];
  /** What a budget email (`budget-alert`, `budget-forecast`) is about; required for those kinds. */
  budget?: BudgetEmailFacts | null;
  /** An auto top-up's amount, formatted in the currency it was charged in. */
  amount?: string | null;
  /** Why a payment failed, as the gateway said it. */
  reason?: string | null;
}

/** A budget's figures for its emails, formatted in the user's currency. */
export interface BudgetEmailFacts {
  /** 'March 2026'. */
  month: string;
  budget: string;
  spent: string;
  /** The level reached (percent) for an alert, null for a forecast. */
  level: number | null;
  /** On the alert at which the budget's action acts: what it does, in a sentence; null otherwise. */
  actionSentence: string | null;
  /** The forecast's sentence ("At this rate you will reach your budget on the 24th."); null for an alert. */
  forecast: string | null;
}
