import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AccountService } from '../accounts/account.service';
import type { BudgetEmailFacts, EmailKind } from '../billing/notifications/email-kind';
import { EmailRenderer } from '../billing/notifications/email-renderer';
import { OutboxService } from '../billing/outbox/outbox.service';
import { BillingSettledEvent } from '../billing/run/billing-settled.event';
import { CLOCK, INSTANCE_PROVISIONER, USER_DIRECTORY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { InstanceProvisioner, UserDirectory } from '../host/ports';
import type { InstanceEntity } from '../instances/instance.entity';
import { InstanceLookupService } from '../instances/instance-lookup.service';
import { InstanceService } from '../instances/instance.service';
import { SettingsService } from '../settings/settings.service';
import { BudgetRepository } from './budget.repository';
import {
  actionAhead,
  actionTaken,
  type BudgetMonth,
  budgetMonthLabel,
  forecastSentence,
  FULL_BUDGET_LEVEL,
  monthsToEvaluate,
} from './budget-rules';
import { type BudgetSettings, type BudgetStatus, BudgetStatusService, settingsOf } from './budget-status.service';

/** Users with a budget read per page by the evaluation after a billing run. */
export const BUDGET_PAGE_SIZE = 500;

export interface BudgetEvaluationReport {
  evaluated: number;
  failed: number;
  /** Alert and forecast emails queued by this pass (repeats of earlier ones are not counted). */
  emails: number;
  /** Instances stopped by budgets with the action `stop`. */
  stopped: number;
}

interface EmailContextBase {
  displayName: string;
  balance: string;
  view: ViewerCurrency;
}

/**
 * Alerts, forecasts and actions of users' budgets, after every billing run and whenever a budget is saved. Each
 * user is evaluated in one transaction under the budget's row lock, and every email and stop goes into the outbox
 * under a key naming the user (or instance), the month and the level: a repeated run, or two racing, queue nothing
 * twice, so each alert goes out once per level and month and each instance is stopped at most once a month.
 */
@Injectable()
export class BudgetEvaluationService implements OnModuleInit {
  private readonly logger = new Logger(BudgetEvaluationService.name);

  constructor(
    private readonly repository: BudgetRepository,
    private readonly status: BudgetStatusService,
    private readonly settings: SettingsService,
    private readonly accounts: AccountService,
    private readonly instances: InstanceLookupService,
    private readonly lifecycle: InstanceService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly outbox: OutboxService,
    private readonly renderer: EmailRenderer,
    private readonly events: DomainEvents,
    private readonly unitOfWork: UnitOfWork,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
    @Inject(INSTANCE_PROVISIONER) private readonly provisioner: InstanceProvisioner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.on(BillingSettledEvent, async (event) => {
      await this.evaluateAll(event.now);
    });
  }

  /** Every user with a budget, by user id in pages; one that fails is logged and the others go on. */
  async evaluateAll(now: Date = this.clock.now()): Promise<BudgetEvaluationReport> {
    const report: BudgetEvaluationReport = { evaluated: 0, failed: 0, emails: 0, stopped: 0 };
    for (let after = ''; ;) {
      const userIds = await this.repository.userIdsAfter(after, BUDGET_PAGE_SIZE);
      if (userIds.length === 0) break;
      for (const userId of userIds) {
        try {
          const done = await this.evaluate(userId, now);
          report.evaluated += 1;
          report.emails += done.emails;
          report.stopped += done.stopped;
        } catch (error) {
          report.failed += 1;
          this.logger.error(`budget of ${userId} failed, the next run tries again: ${(error as Error).message}`);
        }
      }
      after = userIds[userIds.length - 1];
    }
    if (report.emails || report.stopped || report.failed) {
      this.logger.log(`budgets: ${report.emails} emails, ${report.stopped} instances stopped, ${report.failed} failed`);
    }
    return report;
  }

  /** One user's budget: the alerts the spend has reached, the action at 100 %, the forecast. */
  async evaluate(userId: string, now: Date = this.clock.now()): Promise<{ emails: number; stopped: number }> {
    // Read before the transaction: the directory is the host's, and may be slow.
    const [user, account, view, { timeZone }] = await Promise.all([
      this.directory.findUser(userId),
      this.accounts.account(userId),
      this.viewerCurrency.forUser(userId),
      this.settings.get(),
    ]);
    const base: EmailContextBase = {
      displayName: user?.displayName ?? userId,
      balance: view.money(account.balance).formatted,
      view,
    };
    const months = monthsToEvaluate(now, timeZone);
    return this.unitOfWork.run(
      async (tx) => {
        const row = await this.repository.lock(tx, userId);
        if (!row) return { emails: 0, stopped: 0 };
        const settings = settingsOf(row);
        let emails = 0;
        if (months.previous) {
          // The old month's last hour may have just been settled: its alerts are still owed, its action is not.
          const past = await this.status.compute(userId, settings, months.previous, now, timeZone, [], view, tx);
          emails += await this.alert(tx, userId, past, base, [], false);
        }
        const live = await this.instances.lockLiveForUser(tx, userId);
        const current = await this.status.compute(userId, settings, months.current, now, timeZone, live, view, tx);
        const usedUp = current.levelsReached.includes(FULL_BUDGET_LEVEL);
        const stopped = usedUp && settings.action === 'stop' ? await this.stop(tx, live, months.current, now) : [];
        emails += await this.alert(tx, userId, current, base, stopped, true);
        if (current.forecast) emails += await this.forecast(tx, userId, current, base);
        return { emails, stopped: stopped.length };
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  /** Queues each level's alert once; returns how many are new. */
  private async alert(
    tx: Tx,
    userId: string,
    status: BudgetStatus,
    base: EmailContextBase,
    stopped: InstanceEntity[],
    actionable: boolean,
  ): Promise<number> {
    let queued = 0;
    for (const level of status.levelsReached) {
      const acts = actionable && level === FULL_BUDGET_LEVEL;
      const facts = this.facts(status, base.view, {
        level,
        actionSentence: acts ? actionTaken(status.settings.action, stopped.length) : null,
        forecast: null,
      });
      const names = acts ? stopped.map((instance) => instance.name) : [];
      const key = `budget:${userId}:${status.month.key}:${level}`;
      if (await this.email(tx, userId, 'budget-alert', key, base, status.settings, facts, names)) queued += 1;
    }
    return queued;
  }

  private async forecast(tx: Tx, userId: string, status: BudgetStatus, base: EmailContextBase): Promise<number> {
    const forecast = status.forecast as NonNullable<BudgetStatus['forecast']>;
    const ahead = actionAhead(status.settings.action);
    const facts = this.facts(status, base.view, {
      level: null,
      actionSentence: ahead && ahead[0].toUpperCase() + ahead.slice(1),
      forecast: forecastSentence(forecast.date),
    });
    const key = `budget-forecast:${userId}:${status.month.key}`;
    return (await this.email(tx, userId, 'budget-forecast', key, base, status.settings, facts, [])) ? 1 : 0;
  }

  /**
   * Stops the running instances, each once a month: the outbox row's key is the instance and the month, and the
   * state is recorded only when that row is new, so an instance the user started again is left running. Recorded
   * here, as billing records its suspensions: `stopped`, or `suspended` on a host without `stop` (it gets a
   * suspend instead, host/ports.ts), never marked as billing's suspension, so a top-up does not resume it.
   */
  private async stop(tx: Tx, live: InstanceEntity[], month: BudgetMonth, now: Date): Promise<InstanceEntity[]> {
    const event = this.provisioner.stop ? 'stopped' : 'suspended';
    const stopped: InstanceEntity[] = [];
    for (const instance of live.filter((i) => i.state === 'running')) {
      // Never before the instance's last event: a host event stamped a moment ahead of the clock must not be undone.
      const atMs = Math.max(now.getTime(), instance.lastEventAtMs);
      const queued = await this.outbox.enqueue(tx, {
        dedupeKey: `budget-stop:${instance.id}:${month.key}`,
        channel: 'provisioner',
        action: 'stop',
        userId: instance.userId,
        instanceId: instance.id,
        payload: { reason: 'budget', month: month.key, at: new Date(atMs).toISOString() },
      });
      if (!queued) continue;
      await this.lifecycle.transition(tx, instance, event, atMs);
      stopped.push(instance);
    }
    return stopped;
  }

  private facts(
    status: BudgetStatus,
    view: ViewerCurrency,
    what: Pick<BudgetEmailFacts, 'level' | 'actionSentence' | 'forecast'>,
  ): BudgetEmailFacts {
    return {
      month: budgetMonthLabel(status.month.key),
      budget: view.money(status.settings.amount).formatted,
      spent: view.money(Math.max(0, status.spend)).formatted,
      ...what,
    };
  }

  private email(
    tx: Tx,
    userId: string,
    kind: EmailKind,
    dedupeKey: string,
    base: EmailContextBase,
    settings: BudgetSettings,
    budget: BudgetEmailFacts,
    instanceNames: string[],
  ): Promise<boolean> {
    const payload = this.renderer.render(kind, {
      displayName: base.displayName,
      balance: base.balance,
      threshold: base.view.money(settings.amount).formatted,
      runway: null,
      instanceNames,
      budget,
    });
    return this.outbox.enqueue(tx, { dedupeKey, channel: 'email', action: kind, userId, payload });
  }
}
