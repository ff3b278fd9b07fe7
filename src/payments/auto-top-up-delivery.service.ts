import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AccountStateService } from '../accounts/account-state.service';
import { BalanceChangedEvent } from '../accounts/balance-changed.event';
import { LedgerService } from '../accounts/ledger.service';
import { EmailRenderer } from '../billing/notifications/email-renderer';
import { describeError } from '../billing/outbox/delivery-policy';
import { OutboxService } from '../billing/outbox/outbox.service';
import type { PaymentDelivery } from '../billing/outbox/outbox.types';
import { CLOCK, PAYMENT_GATEWAY, USER_DIRECTORY } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { formatCurrencyAmount, formatScaledDecimal, parseScaledDecimal, RATE_DIGITS } from '../common/money';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { CurrencyService } from '../currencies/currency.service';
import { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { PaymentGateway, RenderedMessage, UserDirectory } from '../host/ports';
import type { AutoTopUpAttemptEntity } from './auto-top-up.entities';
import { AutoTopUpRepository } from './auto-top-up.repository';

/** The ledger key of an attempt's top-up: the same however often its success is delivered. */
export const topUpKey = (attemptKey: string) => `topup:auto:${attemptKey}`;

/**
 * Delivers the outbox's 'payment' rows: charges the attempt through the host's gateway with the attempt's key, then
 * credits it through the ledger (kind `topup`, idempotent by key) and announces the balance change, so thresholds act
 * (a suspended account resumes). A failed charge is recorded, emails the user once per attempt, and is thrown back
 * to the outbox, which retries it with its backoff.
 */
@Injectable()
export class AutoTopUpDeliveryService implements OnModuleInit {
  constructor(
    private readonly repository: AutoTopUpRepository,
    private readonly ledger: LedgerService,
    private readonly accounts: AccountStateService,
    private readonly outbox: OutboxService,
    private readonly renderer: EmailRenderer,
    private readonly currencies: CurrencyService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: DomainEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway | null,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
  ) {}

  onModuleInit(): void {
    this.outbox.handlePayments((delivery) => this.deliver(delivery));
  }

  async deliver(delivery: PaymentDelivery): Promise<void> {
    const key = delivery.dedupeKey;
    // Throwing keeps the row pending and visible: a host may configure its gateway and the payment goes out then.
    if (!this.gateway) throw new Error('no payment gateway is configured');
    const attempt = await this.write((tx) => this.startCall(tx, key));
    if (!attempt) return;
    let reference: string;
    try {
      ({ reference } = await this.gateway.charge(attempt.userId, attempt.currencyAmount, attempt.currencyCode, key));
    } catch (error) {
      await this.recordFailure(attempt, error);
      throw error;
    }
    await this.credit(key, reference);
    await this.events.emit(new BalanceChangedEvent(attempt.userId));
  }

  /**
   * Posts the attempt's top-up and marks it succeeded. Also for an attempt cancelled meanwhile: the money was taken,
   * so it is credited. Idempotent: a success delivered again finds its ledger key and credits nothing more.
   */
  async credit(key: string, reference: string): Promise<void> {
    await this.write(async (tx) => {
      const attempt = await this.repository.findAttempt(key, tx);
      if (!attempt) throw new Error(`no auto top-up attempt ${key}`);
      // The ledger locks the account before the attempt is touched: the order every writer here keeps.
      await this.ledger.post(tx, {
        userId: attempt.userId,
        kind: 'topup',
        amount: attempt.creditedMicros,
        idempotencyKey: topUpKey(key),
        currency: {
          code: attempt.currencyCode,
          // In the ledger's canonical form, as an admin's currency top-up records it ("5.00" → "5").
          amount: formatScaledDecimal(parseScaledDecimal(attempt.currencyAmount, RATE_DIGITS), RATE_DIGITS),
          valuePerCreditNanos: attempt.valuePerCreditNanos,
        },
        note: `auto top-up, payment ${reference}`.slice(0, 500),
      });
      if (attempt.status === 'succeeded') return;
      await this.repository.updateAttempt(tx, key, {
        status: 'succeeded',
        paymentReference: reference.slice(0, 160),
        completedAtMs: this.clock.now().getTime(),
      });
    });
  }

  /** Counts the call before making it; null when there is nothing to charge (done already, or cancelled). */
  private async startCall(tx: Tx, key: string): Promise<AutoTopUpAttemptEntity | null> {
    const attempt = await this.repository.lockAttempt(tx, key);
    if (!attempt) throw new Error(`no auto top-up attempt ${key}`);
    if (attempt.status !== 'pending') return null;
    await this.repository.updateAttempt(tx, key, { calls: attempt.calls + 1 });
    return attempt;
  }

  private async recordFailure(attempt: AutoTopUpAttemptEntity, error: unknown): Promise<void> {
    const reason = describeError(error);
    // Rendered before the unit of work: the directory is the host's and may be slow.
    const message = await this.failureEmail(attempt, reason);
    await this.write(async (tx) => {
      const current = await this.repository.lockAttempt(tx, attempt.attemptKey);
      if (!current) return;
      await this.repository.updateAttempt(tx, attempt.attemptKey, {
        failures: current.failures + 1,
        lastError: reason,
      });
      // One email per failed attempt, however often its retries fail.
      await this.outbox.enqueue(tx, {
        dedupeKey: `email:auto-top-up-failed:${attempt.attemptKey}`,
        channel: 'email',
        action: 'auto-top-up-failed',
        userId: attempt.userId,
        payload: message,
      });
    });
  }

  private async failureEmail(attempt: AutoTopUpAttemptEntity, reason: string): Promise<RenderedMessage> {
    const [user, view, currency, rule, account] = await Promise.all([
      this.directory.findUser(attempt.userId),
      this.viewerCurrency.forUser(attempt.userId),
      this.currencies.get(attempt.currencyCode).catch(() => null),
      this.repository.findRule(attempt.userId),
      this.accounts.find(attempt.userId),
    ]);
    const amount = currency
      ? formatCurrencyAmount(attempt.currencyAmount, currency)
      : `${attempt.currencyAmount} ${attempt.currencyCode}`;
    return this.renderer.render('auto-top-up-failed', {
      displayName: user?.displayName ?? attempt.userId,
      balance: view.money(account?.balance ?? 0).formatted,
      threshold: view.money(rule?.thresholdMicros ?? attempt.balanceAtDecisionMicros).formatted,
      runway: null,
      amount,
      reason,
    });
  }

  private write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.unitOfWork.run(work, { isolation: Isolation.LockedWrites });
  }
}
