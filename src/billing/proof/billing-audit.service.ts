import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { formatCredits } from '../../common/money';
import type { InstanceEntity } from '../../instances/instance.entity';
import { HOUR_MS, hourStartOf } from '../rating';
import type { SettlementFailureEntity } from '../settlement/settlement-failure.entity';
import { needsFullProof } from './audit-screen';
import { proofFindings } from './billing-proof';
import type { AuditBreachDto, AuditResponseDto } from './billing-proof.dto';
import { AccountAudit, AccountHourMismatch, ProofRepository, ReadScope, RollupMismatch } from './proof.repository';

/** Breaches listed in one answer; past this the count still grows and `truncated` says so. */
export const MAX_LISTED_BREACHES = 1000;

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
  const what = m.scope === 'month' ? `the ${m.period} rollup of plan ${m.planId}` : `the daily rollup of ${m.period}`;
  return {
    kind: 'rollup-mismatch',
    userId: m.userId,
    ...(m.instanceId === null ? {} : { instanceId: m.instanceId }),
    detail:
      `${what} holds ${credits(m.rollupCharge)} credits and ${m.rollupSeconds} s, ` +
      `but its usage rows add up to ${credits(m.rowCharge)} credits and ${m.rowSeconds} s`,
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

/**
 * GET /admin/audit. Accounts and instances are read in key-paginated pages (`id > lastId`),
 * each page in one snapshot. An instance's usage rows are summed by the database; only an
 * instance whose sums do not prove it sound is loaded row by row and given the full proof,
 * whose findings are the breaches. Read-only, so safe to run at any time and as often as wanted.
 */
@Injectable()
export class BillingAuditService {
  private readonly logger = new Logger(BillingAuditService.name);
  accountPageSize = 500;
  instancePageSize = 200;

  constructor(
    private readonly repository: ProofRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async audit(): Promise<AuditResponseDto> {
    const breaches: AuditBreachDto[] = [];
    let breachCount = 0;
    const report = (found: AuditBreachDto[]) => {
      breachCount += found.length;
      breaches.push(...found.slice(0, Math.max(0, MAX_LISTED_BREACHES - breaches.length)));
    };

    let checkedAccounts = 0;
    const nowMs = this.clock.now().getTime();
    for (let afterUserId = ''; ;) {
      const { accounts, hours, rollups } = await this.repository.snapshot(async (m) => {
        const page = await this.repository.accountsAfter(m, afterUserId, this.accountPageSize);
        const userIds = page.map((account) => account.userId);
        return {
          accounts: page,
          hours: await this.repository.accountHourMismatches(m, userIds),
          rollups: await this.repository.rollupMismatches(m, userIds),
        };
      });
      if (accounts.length === 0) break;
      for (const account of accounts) {
        report(accountBreaches(account));
        const overdue = evaluationBreach(account, nowMs);
        if (overdue) report([overdue]);
      }
      report(hours.map(accountHourBreach));
      report(rollups.map(rollupBreach));
      checkedAccounts += accounts.length;
      afterUserId = accounts[accounts.length - 1].userId;
    }

    let checkedInstances = 0;
    for (let afterId = ''; ;) {
      const page = await this.repository.snapshot((m) => this.instancePage(m, afterId, nowMs));
      if (page.checked === 0) break;
      report(page.breaches);
      checkedInstances += page.checked;
      afterId = page.lastId;
    }

    const summary = `audited ${checkedAccounts} accounts and ${checkedInstances} instances: ${breachCount} breaches`;
    if (breachCount > 0) this.logger.warn(summary);
    else this.logger.log(summary);
    return {
      ok: breachCount === 0,
      checkedAccounts,
      checkedInstances,
      breachCount,
      truncated: breachCount > breaches.length,
      breaches,
    };
  }

  private async instancePage(manager: ReadScope, afterId: string, nowMs: number) {
    const instances = await this.repository.instancesAfter(manager, afterId, this.instancePageSize);
    const failures = await this.repository.settlementFailures(manager);
    const ids = instances.map((instance) => instance.id);
    const segments = groupByInstance(await this.repository.segmentsOf(manager, ids));
    const aggregates = await this.repository.usageAggregates(manager, ids);
    const breaches: AuditBreachDto[] = [];
    for (const instance of instances) {
      const behind = behindBreach(instance, nowMs, failures.get(instance.userId));
      if (behind) breaches.push(behind);
      const own = segments.get(instance.id) ?? [];
      if (!needsFullProof(instance, own, aggregates.get(instance.id) ?? [])) continue;
      const rows = await this.repository.usageOf(manager, instance.id);
      for (const finding of proofFindings(instance, own, rows)) {
        breaches.push({ kind: finding.kind, userId: instance.userId, instanceId: instance.id, detail: finding.detail });
      }
    }
    return { checked: instances.length, lastId: ids[ids.length - 1] ?? afterId, breaches };
  }
}

function groupByInstance<T extends { instanceId: string }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.instanceId, [...(groups.get(item.instanceId) ?? []), item]);
  return groups;
}
