/** The emails the threshold engine sends; also the `kind` a host's BillingNotifier receives. */
export const EMAIL_KINDS = [
  'low-balance',
  'negative-balance',
  'runway-warning',
  'suspended',
  'unsuspended',
  'terminated',
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
  /** The instances suspended, resumed or terminated. */
  instanceNames?: string[];
  /** An auto top-up's amount, formatted in the currency it was charged in. */
  amount?: string | null;
  /** Why a payment failed, as the gateway said it. */
  reason?: string | null;
}
