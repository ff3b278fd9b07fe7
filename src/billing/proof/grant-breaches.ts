import { formatCredits } from '../../common/money';
import { hourStartOf } from '../rating';
import { BEHIND_GRACE_MS } from './audit-breaches';
import type { AuditBreachDto } from './billing-proof.dto';
import type { GrantMismatch, OverdrawnEntry } from './proof.repository';

/*
 * The audit's credit grant breaches as an admin reads them. Pure: BillingAuditService reads the rows (only those that
 * break a rule come back) and collects these.
 */

const credits = (micros: bigint) => formatCredits(Number(micros));
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Open grants expiring at or before this are overdue (when nothing before their expiry is left to settle): the run
 * that can expire a grant is the first one after the end of the hour its expiry falls in, and like an hour's
 * settlement it has BEHIND_GRACE_MS to do it. ceilHour(expiry) + grace ≤ now ⇔ expiry ≤ hourStart(now − grace).
 */
export function grantOverdueUpToMs(nowMs: number): number {
  return hourStartOf(new Date(nowMs - BEHIND_GRACE_MS)).getTime();
}

/** What is wrong with one grant the audit's query returned: each broken rule a breach of its own. */
export function grantBreaches(grant: GrantMismatch): AuditBreachDto[] {
  const base = { userId: grant.userId };
  const named = `grant ${grant.grantId}`;
  const breaches: AuditBreachDto[] = [];
  if (grant.amount !== grant.remaining + grant.drawn + grant.expired) {
    breaches.push({
      ...base,
      kind: 'grant-unbalanced',
      detail:
        `${named} is ${credits(grant.amount)} credits, but ${credits(grant.remaining)} left + ` +
        `${credits(grant.drawn)} drawn + ${credits(grant.expired)} expired make ` +
        `${credits(grant.remaining + grant.drawn + grant.expired)}`,
    });
  }
  if (grant.remaining < 0n) {
    breaches.push({ ...base, kind: 'grant-negative', detail: `${named} has ${credits(grant.remaining)} credits left` });
  }
  if (grant.closedAtMs !== null && grant.remaining !== 0n) {
    breaches.push({
      ...base,
      kind: 'grant-state',
      detail: `${named} was closed at ${iso(grant.closedAtMs)} but still holds ${credits(grant.remaining)} credits`,
    });
  }
  if (grant.closedAtMs === null && grant.hasExpiryEntry) {
    breaches.push({ ...base, kind: 'grant-state', detail: `${named} has an expiry entry but is still open` });
  }
  if (grant.overdue && grant.expiresAtMs !== null) {
    breaches.push({
      ...base,
      kind: 'grant-expiry-overdue',
      detail:
        `${named} expired at ${iso(grant.expiresAtMs)} and every hour before that is settled, ` +
        `but it is still open with ${credits(grant.remaining)} credits left`,
    });
  }
  return breaches;
}

/** A debit that drew more from grants than it took, or draws with no entry of their account behind them. */
export function overdrawnEntryBreach(entry: OverdrawnEntry): AuditBreachDto {
  const base = { kind: 'grant-overdrawn' as const, userId: entry.userId };
  if (entry.entryAmount === null) {
    return {
      ...base,
      detail: `${credits(entry.drawn)} credits drawn from grants under ${entry.entryKey}, which no ledger entry has`,
    };
  }
  if (entry.entryUserId !== entry.userId) {
    return {
      ...base,
      detail: `grants of ${entry.userId} were drawn under ${entry.entryKey}, an entry of ${entry.entryUserId}`,
    };
  }
  return {
    ...base,
    detail:
      `${entry.entryKey} drew ${credits(entry.drawn)} credits from grants, but the entry is ` +
      `${credits(entry.entryAmount)} (draws must be positive and add up to at most the entry)`,
  };
}
