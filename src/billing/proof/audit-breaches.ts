import { formatCredits } from '../../common/money';
import type { InstanceEntity } from '../../instances/instance.entity';
import { HOUR_MS, hourStartOf } from '../rating';
import type { SettlementFailureEntity } from '../settlement/settlement-failure.entity';
import type { AuditBreachDto } from './billing-proof.dto';
import type { AccountAudit, AccountHourMismatch, RollupMismatch, UnbilledReport } from './proof.repository';

/*
 * The audit's breaches as an admin reads them, each from what one of its reads found. Pure, so the wording and the
 * grace periods are testable without a database; BillingAuditService only reads the pages and collects these.
 */

const credits = (micros: bigint) => formatCredits(Number(micros));

/** What is wrong with an account: its balance must be its ledger's sum and its latest entry's balance_after. */
export function accountBreaches(account: AccountAudit): AuditBreachDto[] {
  const breaches: AuditBreachDto[] = [];
  const entries = `${account.entryCount} ledger ${account.entryCount === 1 ? 'entry' : 'entries'}`;
  if (account.balance !== account.ledgerSum) {
    breaches.push({
      kind: 'balance-mismatch',
      userId: account.userId,
      detail: `balance is ${credits(account.balance)} credits but its ${entries} sum to ${credits(account.ledgerSum)}`,
    });
  }
  if (account.lastBalanceAfter !== null && account.lastBalanceAfter !== account.balance) {
    breaches.push({
      kind: 'balance-after-mismatch',
      userId: account.userId,
      detail: `balance is ${credits(account.balance)} credits but its latest ledger entry left it at ${credits(account.lastBalanceAfter)}`,
    });
  }
  return breaches;
}

/** An account-hour whose ledger entries are not what its usage rows charge. */
export function accountHourBreach(m: AccountHourMismatch): AuditBreachDto {
  return {
    kind: 'ledger-usage-mismatch',
    userId: m.userId,
    detail:
      `the ledger took ${credits(m.ledger)} credits for ${new Date(m.hourStartMs).toISOString()}, ` +
      `but that hour's usage rows charge ${credits(m.usage)}`,
  };
}

export function rollupBreach(m: RollupMismatch): AuditBreachDto {
  const base = {
    kind: 'rollup-mismatch' as const,
    userId: m.userId,
    ...(m.instanceId === null ? {} : { instanceId: m.instanceId }),
  };
  if (m.scope === 'month' || m.scope === 'day') {
    const what = m.scope === 'month' ? `the ${m.period} rollup of plan ${m.planId}` : `the daily rollup of ${m.period}`;
    return {
      ...base,
      detail:
        `${what} holds ${credits(m.rollupCharge)} credits and ${m.rollupSeconds} s, ` +
        `but its usage rows add up to ${credits(m.rowCharge)} credits and ${m.rowSeconds} s`,
    };
  }
  const item = m.scope.startsWith('rule') ? 'rules' : 'counters';
  if (m.scope.endsWith('day')) {
    return {
      ...base,
      detail: `the daily rollup of ${m.period} holds ${credits(m.rollupCharge)} credits of ${item}, but their rows add up to ${credits(m.rowCharge)}`,
    };
  }
  const one = m.scope === 'rule-month' ? `rule ${m.planId}` : `counter ${m.planId}`;
  return {
    ...base,
    detail:
      `the ${m.period} total of ${one} holds ${credits(m.rollupCharge)} credits and quantity ${m.rollupSeconds}, ` +
      `but its rows add up to ${credits(m.rowCharge)} credits and quantity ${m.rowSeconds}`,
  };
}

/** Grace after an hour ends before an unsettled one is reported: the hourly job runs a minute past the hour. */
export const BEHIND_GRACE_MS = 15 * 60_000;

/**
 * An instance whose complete hours are not all settled: reported with the age of the oldest, at once when
 * settlement recorded a failure for its account, otherwise once the hourly job has had time to run.
 */
export function behindBreach(
  instance: Pick<InstanceEntity, 'id' | 'userId' | 'settledUntilMs' | 'terminatedAtMs'>,
  nowMs: number,
  failure: SettlementFailureEntity | undefined,
): AuditBreachDto | null {
  const due = Math.min(
    hourStartOf(new Date(nowMs)).getTime(),
    instance.terminatedAtMs === null ? Infinity : Math.ceil(instance.terminatedAtMs / HOUR_MS) * HOUR_MS,
  );
  if (instance.settledUntilMs >= due) return null;
  const age = nowMs - (instance.settledUntilMs + HOUR_MS);
  if (age < BEHIND_GRACE_MS && !failure) return null;
  const hours = (due - instance.settledUntilMs) / HOUR_MS;
  const why = failure ? `; settlement failed ${failure.attempts} time(s): ${failure.error}` : '';
  return {
    kind: 'behind',
    userId: instance.userId,
    instanceId: instance.id,
    detail:
      `${hours} ${hours === 1 ? 'hour' : 'hours'} due but not settled, the oldest from ` +
      `${new Date(instance.settledUntilMs).toISOString()} (ended ${Math.round(age / 60_000)} min ago)${why}`,
  };
}

/**
 * How long an account may wait for threshold evaluation before the audit reports it: a balance change is
 * evaluated at once, and one whose evaluation failed by the next hourly run, so past an hour and the run's grace
 * the runs are not getting it done.
 */
export const EVALUATION_GRACE_MS = HOUR_MS + BEHIND_GRACE_MS;

/** An account due for threshold evaluation for longer than the runs should take: its warnings or suspension lag. */
export function evaluationBreach(account: AccountAudit, nowMs: number): AuditBreachDto | null {
  if (account.evaluationDueAtMs === null || nowMs - account.evaluationDueAtMs < EVALUATION_GRACE_MS) return null;
  return {
    kind: 'evaluation-overdue',
    userId: account.userId,
    detail:
      `thresholds not evaluated since ${new Date(account.evaluationDueAtMs).toISOString()} ` +
      `(${Math.round((nowMs - account.evaluationDueAtMs) / 60_000)} min): warnings and suspension may lag the balance`,
  };
}

/** A usage report its hour's settlement should have billed, or a late one the hourly sweep has had time to bill. */
export function unbilledReportBreach(report: UnbilledReport): AuditBreachDto {
  return {
    kind: 'unbilled-report',
    userId: report.userId,
    instanceId: report.instanceId,
    detail: report.late
      ? `usage report "${report.reportId}" arrived late at ${new Date(report.receivedAtMs).toISOString()} and is still not billed`
      : `usage report "${report.reportId}" lies in the settled hour ${new Date(report.hourStartMs).toISOString()} but was not billed with it`,
  };
}
