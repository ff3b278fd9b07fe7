import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccountStateService } from '../../accounts/account-state.service';
import type { AccountEntity } from '../../accounts/account.entity';
import { LedgerService } from '../../accounts/ledger.service';
import { CLOCK, USER_DIRECTORY } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import { ViewerCurrencyService } from '../../currencies/viewer-currency.service';
import type { UserDirectory } from '../../host/ports';
import type { InstanceEntity } from '../../instances/instance.entity';
import { InstanceLookupService } from '../../instances/instance-lookup.service';
import { InstanceService } from '../../instances/instance.service';
import type { SettingsEntity } from '../../settings/settings.entity';
import { SettingsService } from '../../settings/settings.service';
import type { EmailKind } from '../notifications/email-kind';
import { EmailRenderer } from '../notifications/email-renderer';
import { describeRunway } from '../notifications/runway';
import { OutboxService } from '../outbox/outbox.service';
import type { ProvisionerAction } from '../outbox/outbox.types';
import { LiveCostService } from './live-cost.service';
import { runwayOf } from './runway-projection';
import { decideThresholds, ThresholdSettings } from './threshold-rules';

const DAY_MS = 86_400_000;
/** Evaluations and terminations decide under the row locks of the account and its live instances. */
const LOCKED = { isolation: Isolation.LockedWrites };

/** What one evaluation pass did; `terminated` comes from terminateOverdue, which the billing run adds. */
export interface ThresholdReport {
  /** Accounts evaluated, and those whose evaluation failed (they stay due). */
  evaluated: number;
  failed: number;
  emails: number;
  suspended: number;
  resumed: number;
}

/**
 * Applies the balance thresholds to accounts, each in one transaction under the account's
 * row lock: the warnings of an episode, suspension, auto-unsuspend and termination after N days.
 * Every email and provisioner call goes into the outbox in that same transaction, keyed so
 * that a retry or a second replica adds nothing.
 */
@Injectable()
export class ThresholdService {
  private readonly logger = new Logger(ThresholdService.name);

  constructor(
    private readonly ledger: LedgerService,
    private readonly accounts: AccountStateService,
    private readonly instances: InstanceLookupService,
    private readonly lifecycle: InstanceService,
    private readonly liveCosts: LiveCostService,
    private readonly settings: SettingsService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly outbox: OutboxService,
    private readonly renderer: EmailRenderer,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Evaluates those of these accounts that are due (a balance change or the reconciliation marked them), each in
   * its own transaction that clears the mark: one that is not due any more (evaluated meanwhile, perhaps by
   * another replica) is skipped. An account whose evaluation fails is logged and stays due for the next run,
   * without stopping the others.
   */
  async evaluate(userIds: string[], now: Date = this.clock.now()): Promise<ThresholdReport> {
    const settings = await this.settings.get();
    const report: ThresholdReport = { evaluated: 0, failed: 0, emails: 0, suspended: 0, resumed: 0 };
    for (const userId of userIds) {
      try {
        const done = await this.evaluateAccount(userId, settings, now);
        if (!done) continue;
        report.evaluated += 1;
        report.emails += done.emails;
        report.suspended += done.suspended;
        report.resumed += done.resumed;
      } catch (error) {
        report.failed += 1;
        this.logger.error(`thresholds for ${userId} failed, left due for the next run: ${(error as Error).message}`);
      }
    }
    return report;
  }

  /** What the account's evaluation did, counted once it committed; null when the account was not due. */
  private async evaluateAccount(
    userId: string,
    settings: SettingsEntity,
    now: Date,
  ): Promise<Pick<ThresholdReport, 'emails' | 'suspended' | 'resumed'> | null> {
    const context = await this.emailContext(userId);
    return this.unitOfWork.run(async (tx) => {
      const account = (await this.ledger.lockAccounts(tx, [userId])).get(userId) as AccountEntity;
      if (account.evaluationDueAtMs === null) return null;
      const live = await this.instances.lockLiveForUser(tx, userId);
      const runway = runwayOf(await this.liveCosts.of(live, now, settings.timeZone, tx), {
        balance: account.balance,
        suspensionThreshold: settings.suspensionThreshold,
        now,
        timeZone: settings.timeZone,
      });
      // Only an account at 0 can be without entries (the balance is their sum), so only then is it worth asking.
      const neverCredited = account.balance === 0 && (await this.accounts.usersWithEntries(tx, [userId])).size === 0;
      const decision = decideThresholds(account.balance, runway.hours, settings, {
        neverCredited,
        lowNotified: account.lowNotifiedAtMs !== null,
        negativeNotified: account.negativeNotifiedAtMs !== null,
        runwayNotified: account.runwayNotifiedAtMs !== null,
        suspended: account.billingSuspendedAtMs !== null,
      });
      const nowMs = now.getTime();
      const done = { emails: decision.emails.length, suspended: 0, resumed: 0 };
      if (decision.suspend) {
        const running = live.filter((i) => i.state === 'running' || i.state === 'stopped');
        for (const instance of running) await this.suspend(tx, instance, nowMs);
        done.suspended = running.length;
      }
      if (decision.unsuspend) {
        const held = live.filter((i) => i.state === 'suspended' && i.billingSuspendedAtMs !== null);
        for (const instance of held) await this.changeState(tx, instance, 'resumed', 'unsuspend', nowMs);
        done.resumed = held.length;
      }
      const money = context.view.money;
      for (const kind of decision.emails) {
        await this.email(tx, userId, kind, nowMs, {
          ...context.base,
          balance: money(account.balance).formatted,
          threshold: money(this.thresholdFor(kind, settings)).formatted,
          runway: describeRunway(runway),
        });
      }
      const since = (flag: boolean, previous: number | null) => (flag ? (previous ?? nowMs) : null);
      await this.accounts.saveThresholdState(tx, userId, {
        lowNotifiedAtMs: since(decision.next.lowNotified, account.lowNotifiedAtMs),
        negativeNotifiedAtMs: since(decision.next.negativeNotified, account.negativeNotifiedAtMs),
        runwayNotifiedAtMs: since(decision.next.runwayNotified, account.runwayNotifiedAtMs),
        billingSuspendedAtMs: decision.suspend
          ? (account.billingSuspendedAtMs ?? nowMs)
          : decision.unsuspend
            ? null
            : account.billingSuspendedAtMs,
      });
      return done;
    }, LOCKED);
  }

  /** Terminates instances that billing suspended more than the configured number of days ago. */
  async terminateOverdue(now: Date = this.clock.now()): Promise<number> {
    const { terminateAfterDaysSuspended: days, suspensionThreshold } = await this.settings.get();
    if (days === 0) return 0;
    const cutoffMs = now.getTime() - days * DAY_MS;
    let terminated = 0;
    for (const userId of await this.instances.usersSuspendedByBillingSince(cutoffMs)) {
      const context = await this.emailContext(userId);
      await this.unitOfWork.run(async (tx) => {
        const overdue = (await this.instances.lockLiveForUser(tx, userId)).filter(
          (i) => i.state === 'suspended' && i.billingSuspendedAtMs !== null && i.billingSuspendedAtMs <= cutoffMs,
        );
        for (const instance of overdue) await this.changeState(tx, instance, 'terminated', 'terminate', now.getTime());
        if (overdue.length === 0) return;
        const balance = (await this.ledger.lockAccounts(tx, [userId])).get(userId)?.balance ?? 0;
        await this.email(tx, userId, 'terminated', now.getTime(), {
          ...context.base,
          balance: context.view.money(balance).formatted,
          threshold: context.view.money(suspensionThreshold).formatted,
          runway: null,
          instanceNames: overdue.map((i) => i.name),
        });
        terminated += overdue.length;
      }, LOCKED);
    }
    return terminated;
  }

  private async suspend(tx: Tx, instance: InstanceEntity, nowMs: number): Promise<void> {
    // Marked before the transition so the state change keeps it: only billing's suspensions are resumed by a top-up.
    instance.billingSuspendedAtMs = nowMs;
    await this.changeState(tx, instance, 'suspended', 'suspend', nowMs);
  }

  private async changeState(
    tx: Tx,
    instance: InstanceEntity,
    event: 'suspended' | 'resumed' | 'terminated',
    action: ProvisionerAction,
    nowMs: number,
  ): Promise<void> {
    // Never before the instance's last event: a host event stamped a moment ahead of the clock must not be undone.
    const atMs = Math.max(nowMs, instance.lastEventAtMs);
    await this.lifecycle.transition(tx, instance, event, atMs);
    await this.outbox.enqueue(tx, {
      dedupeKey: `provisioner:${action}:${instance.id}:${atMs}`,
      channel: 'provisioner',
      action,
      userId: instance.userId,
      instanceId: instance.id,
      payload: { reason: 'balance', at: new Date(atMs).toISOString() },
    });
  }

  private async email(
    tx: Tx,
    userId: string,
    kind: EmailKind,
    nowMs: number,
    context: Parameters<EmailRenderer['render']>[1],
  ) {
    await this.outbox.enqueue(tx, {
      dedupeKey: `email:${kind}:${userId}:${nowMs}`,
      channel: 'email',
      action: kind,
      userId,
      payload: this.renderer.render(kind, context),
    });
  }

  private thresholdFor(kind: EmailKind, settings: ThresholdSettings): number {
    if (kind === 'low-balance') return settings.lowBalanceThreshold;
    if (kind === 'negative-balance') return settings.negativeBalanceThreshold;
    return settings.suspensionThreshold;
  }

  /** Read before the transaction: the directory is the host's, and may be slow. */
  private async emailContext(userId: string) {
    const user = await this.directory.findUser(userId);
    return { base: { displayName: user?.displayName ?? userId }, view: await this.viewerCurrency.forUser(userId) };
  }
}
