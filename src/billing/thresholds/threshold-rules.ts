import type { EmailKind } from '../notifications/email-kind';

export interface ThresholdSettings {
  lowBalanceThreshold: number;
  negativeBalanceThreshold: number;
  suspensionThreshold: number;
  autoUnsuspend: boolean;
  runwayWarningHours: number;
}

export interface EpisodeState {
  /**
   * The account has no ledger entry at all: it never had credit, so its balance of 0 did not fall to a threshold
   * and there is no episode to warn about. Its first charge or credit starts the story.
   */
  neverCredited: boolean;
  lowNotified: boolean;
  negativeNotified: boolean;
  runwayNotified: boolean;
  suspended: boolean;
}

export interface ThresholdDecision {
  /** Emails to send now, each the first of its episode. */
  emails: Exclude<EmailKind, 'terminated'>[];
  /** The episode flags after this evaluation. */
  next: Omit<EpisodeState, 'suspended' | 'neverCredited'>;
  /** Suspend every running or stopped instance (the balance is below the suspension threshold). */
  suspend: boolean;
  /** Resume what billing suspended (the balance is back at or above the threshold and auto-unsuspend is on). */
  unsuspend: boolean;
  runwayHours: number | null;
}

/**
 * What the thresholds call for, given the balance, the projected runway (projectRunway's hours: null when the
 * credit does not run out within its horizon) and what this episode already sent. An episode ends when the
 * balance rises back above a threshold, so the next crossing warns again.
 */
export function decideThresholds(
  balance: number,
  runway: number | null,
  settings: ThresholdSettings,
  state: EpisodeState,
): ThresholdDecision {
  const belowSuspension = balance < settings.suspensionThreshold;
  const low = balance <= settings.lowBalanceThreshold && !state.neverCredited;
  const negative = balance <= settings.negativeBalanceThreshold && !state.neverCredited;
  const runwayShort =
    settings.runwayWarningHours > 0 && runway !== null && runway <= settings.runwayWarningHours && !belowSuspension;
  const suspend = belowSuspension;
  const unsuspend = state.suspended && !belowSuspension && settings.autoUnsuspend;

  const emails: ThresholdDecision['emails'] = [];
  if (low && !state.lowNotified) emails.push('low-balance');
  if (negative && !state.negativeNotified) emails.push('negative-balance');
  if (runwayShort && !state.runwayNotified) emails.push('runway-warning');
  if (suspend && !state.suspended) emails.push('suspended');
  if (unsuspend) emails.push('unsuspended');
  return {
    emails,
    next: {
      lowNotified: low,
      negativeNotified: negative,
      runwayNotified: runwayShort || (state.runwayNotified && belowSuspension),
    },
    suspend,
    unsuspend,
    runwayHours: runway,
  };
}
