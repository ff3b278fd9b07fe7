import { Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { AccountStateService } from '../accounts/account-state.service';
import { BalanceChangedEvent } from '../accounts/balance-changed.event';
import { LedgerService } from '../accounts/ledger.service';
import { OutboxService } from '../billing/outbox/outbox.service';
import { monthKey } from '../billing/rating/month-window';
import { ChargesSettledEvent } from '../billing/run/charges-settled.event';
import { CLOCK, PAYMENT_GATEWAY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import type { CurrencyEntity } from '../currencies/currency.entity';
import { CurrencyService } from '../currencies/currency.service';
import type { PaymentGateway } from '../host/ports';
import { SettingsService } from '../settings/settings.service';
import { decideTopUp } from './auto-top-up-rule';
import { AutoTopUpRepository } from './auto-top-up.repository';

/** Rules read per page while the billing run walks them. */
const RULES_PER_PAGE = 200;

/** The attempt's key: the gateway's idempotency key, the outbox row's dedupe key, part of the top-up's ledger key. */
export const attemptKey = (userId: string, seq: number) => `auto-topup:${userId}:${seq}`;

/**
 * Decides auto top-ups: after every balance change a feature announces (BalanceChangedEvent) and after every
 * billing run's settlement (ChargesSettledEvent, which also picks up any decision a crash left undone), for users
 * whose rule's threshold is above their balance. The decision, the attempt row and its outbox row are one unit of
 * work under the account's and the rule's row locks, so two replicas deciding at once start one attempt.
 */
@Injectable()
export class AutoTopUpTriggerService implements OnModuleInit {
  private readonly logger = new Logger(AutoTopUpTriggerService.name);

  constructor(
    private readonly repository: AutoTopUpRepository,
    private readonly ledger: LedgerService,
    private readonly accounts: AccountStateService,
    private readonly currencies: CurrencyService,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: DomainEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway | null,
  ) {}

  onModuleInit(): void {
    // Without a gateway the feature is off: no rule can be set and none left from before acts.
    if (!this.gateway) return;
    this.events.on(BalanceChangedEvent, (event) => this.afterBalanceChange(event.userId));
    this.events.on(ChargesSettledEvent, (event) => this.afterSettlement(event.at));
  }

  /** Decides for one user and, when that started an attempt, delivers it now rather than at the next run. */
  async afterBalanceChange(userId: string, now: Date = this.clock.now()): Promise<void> {
    if ((await this.check(userId, now)) !== null) await this.outbox.deliverDue(now);
  }

  /**
   * Charges what the run's charges call for at once, and retries due earlier attempts with them, so a top-up that
   * succeeds lands before thresholds act (the run delivers the rest of the outbox at its end anyway).
   */
  async afterSettlement(now: Date = this.clock.now()): Promise<void> {
    await this.checkAll(now);
    await this.outbox.deliverDue(now);
  }

  /** Every rule, a page at a time; only users below their threshold by a plain read get the locked decision. */
  async checkAll(now: Date = this.clock.now()): Promise<{ started: number }> {
    let started = 0;
    let after: string | null = null;
    for (;;) {
      const rules = await this.repository.rulesAfter(after, RULES_PER_PAGE);
      for (const rule of rules) {
        const balance = (await this.accounts.find(rule.userId))?.balance ?? 0;
        if (balance >= rule.thresholdMicros) continue;
        try {
          if ((await this.check(rule.userId, now)) !== null) started += 1;
        } catch (error) {
          // One user's failure must not keep the others' top-ups back; the next run decides again.
          this.logger.error(`auto top-up for ${rule.userId} not decided: ${(error as Error).message}`);
        }
      }
      if (rules.length < RULES_PER_PAGE) break;
      after = rules[rules.length - 1].userId;
    }
    return { started };
  }

  /** Starts an attempt when the rule says so; returns its key, or null when none was started. */
  async check(userId: string, now: Date = this.clock.now()): Promise<string | null> {
    if (!this.gateway) return null;
    const rule = await this.repository.findRule(userId);
    if (!rule) return null;
    // Read before the unit of work: rates and the time zone are not what the locks protect.
    const [currency, settings] = await Promise.all([this.currency(rule.currencyCode), this.settings.get()]);
    if (!currency) return null;
    const month = monthKey(now, settings.timeZone);
    const nowMs = now.getTime();
    return this.unitOfWork.run(
      async (tx) => {
        // The account first, as every writer of balances locks it, then the rule: one decision per user at a time.
        const account = (await this.ledger.lockAccounts(tx, [userId])).get(userId);
        const locked = await this.repository.lockRule(tx, userId);
        if (!account || !locked) return null;
        const { totalMicros, inFlight } = await this.repository.monthState(tx, userId, month);
        const decision = decideTopUp(
          locked,
          { balanceMicros: account.balance, monthTotalMicros: totalMicros, inFlight },
          currency,
        );
        if (decision.kind === 'none') return null;
        locked.attemptSeq += 1;
        locked.updatedAtMs = nowMs;
        const key = attemptKey(userId, locked.attemptSeq);
        await this.repository.saveRule(tx, locked);
        await this.repository.insertAttempt(tx, {
          attemptKey: key,
          userId,
          month,
          status: 'pending',
          requestedMicros: decision.requestedMicros,
          creditedMicros: decision.creditedMicros,
          currencyCode: currency.code,
          currencyAmount: decision.currencyAmount,
          valuePerCreditNanos: currency.valuePerCreditNanos,
          balanceAtDecisionMicros: account.balance,
          calls: 0,
          failures: 0,
          lastError: null,
          paymentReference: null,
          createdAtMs: nowMs,
          completedAtMs: null,
        });
        await this.outbox.enqueue(tx, {
          dedupeKey: key,
          channel: 'payment',
          action: 'charge',
          userId,
          payload: { attemptKey: key, amount: decision.currencyAmount, currency: currency.code },
        });
        return key;
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  /** A currency an admin has since removed or disabled charges nothing until the user picks another. */
  private async currency(code: string): Promise<CurrencyEntity | null> {
    try {
      const currency = await this.currencies.get(code);
      if (currency.enabled) return currency;
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    this.logger.warn(`auto top-up currency ${code} is no longer offered: no top-up in it`);
    return null;
  }
}
