import { Injectable, NotFoundException } from '@nestjs/common';
import {
  creditsToCurrencyScaled,
  currencyToCredits,
  formatCredits,
  formatScaledDecimal,
  parseCredits,
} from '../../common/money';
import { DomainEvents } from '../../common/domain-events';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import { conflictingField, invalidField, invalidInput } from '../../common/validation';
import { CurrencyService } from '../../currencies/currency.service';
import type { AuthenticatedUser } from '../../host/ports';
import type { LedgerEntryEntity } from '../account.entity';
import { AccountRepository } from '../account.repository';
import { BalanceChangedEvent } from '../balance-changed.event';
import { canonicalCurrencyAmount } from '../currency-amount.validator';
import { GrantRepository } from '../grants/grant.repository';
import { creditSplit } from '../grants/grant-draws';
import { type LedgerPostInput, LedgerService } from '../ledger.service';
import type { TopUpChargebackDto, TopUpRefundDto } from './top-up-reversal.dto';

export interface Reversal {
  entry: LedgerEntryEntity;
  created: boolean;
}

/**
 * Money going back to the customer, linked to the top-up it came in with: a refund of all or part of what is
 * left of it, or a chargeback the bank forced. Both are checked and posted under the account's row lock, so two
 * refunds at once cannot together take back more than the top-up brought.
 */
@Injectable()
export class TopUpReversalService {
  constructor(
    private readonly repository: AccountRepository,
    private readonly grants: GrantRepository,
    private readonly ledger: LedgerService,
    private readonly currencies: CurrencyService,
    private readonly unitOfWork: UnitOfWork,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Never more than the top-up less earlier refunds and chargebacks, and never more than the paid credit the
   * account still holds (a refund gives back unused money; what was spent is a chargeback's business).
   */
  refund(userId: string, topUpId: number, dto: TopUpRefundDto, admin: AuthenticatedUser): Promise<Reversal> {
    return this.reverse(userId, topUpId, `topup-refund:${dto.reference}`, async (tx, topUp, left) => {
      const { amount, currency } = await this.refundAmount(topUp, left, dto);
      if (amount > left) {
        throw conflictingField(
          'amount',
          'refundable',
          `only ${formatCredits(left)} credits of top-up ${topUp.id} are left to refund`,
        );
      }
      const account = await this.ledger.lockAccounts(tx, [userId]);
      const balance = account.get(userId)?.balance ?? 0;
      const { paid } = creditSplit(balance, await this.grants.openGrants(tx, [userId]));
      if (amount > paid) {
        throw conflictingField(
          'amount',
          'paidCredit',
          `the account holds ${formatCredits(Math.max(0, paid))} paid credits; a refund cannot take more (a chargeback can)`,
        );
      }
      return { kind: 'topup-refund', amount: -amount, currency, note: dto.note?.trim() || null, createdBy: admin.id };
    });
  }

  /** Reverses what is left of the top-up, once, even if the balance goes below 0 (the thresholds then act). */
  chargeback(userId: string, topUpId: number, dto: TopUpChargebackDto, admin: AuthenticatedUser): Promise<Reversal> {
    return this.reverse(userId, topUpId, `chargeback:${topUpId}`, async (_tx, topUp, left) => {
      if (left <= 0) {
        throw conflictingField('entryId', 'refundable', `top-up ${topUp.id} was already refunded in full`);
      }
      return { kind: 'chargeback', amount: -left, note: dto.note?.trim() || null, createdBy: admin.id };
    });
  }

  private async reverse(
    userId: string,
    topUpId: number,
    idempotencyKey: string,
    decide: (
      tx: Tx,
      topUp: LedgerEntryEntity,
      left: number,
    ) => Promise<Pick<LedgerPostInput, 'kind' | 'amount' | 'currency' | 'note' | 'createdBy'>>,
  ): Promise<Reversal> {
    const reversal = await this.unitOfWork.run(
      async (tx) => {
        // The lock comes before any read: the transaction's snapshot then holds every reversal committed before.
        await this.ledger.lockAccounts(tx, [userId]);
        const topUp = await this.repository.findEntryOf(tx, userId, topUpId);
        if (!topUp) throw new NotFoundException(`user ${userId} has no ledger entry ${topUpId}`);
        // A repeat answers the first reversal before any rule, which may no longer hold after it.
        const earlier = await this.repository.findEntryByKey(tx, idempotencyKey);
        if (earlier) return { entry: earlier, created: false };
        if (topUp.kind !== 'topup') {
          throw conflictingField('entryId', 'isTopUp', `entry ${topUpId} is a ${topUp.kind}, not a top-up`);
        }
        const left = topUp.amount - (await this.repository.reversedAmount(tx, topUp.id));
        const decided = await decide(tx, topUp, left);
        return this.ledger.post(tx, { ...decided, userId, idempotencyKey, reversesEntryId: topUp.id });
      },
      { isolation: Isolation.LockedWrites },
    );
    await this.events.emit(new BalanceChangedEvent(userId));
    return reversal;
  }

  /** The refund in credits, and in the top-up's currency at the rate it was credited at when it had one. */
  private async refundAmount(
    topUp: LedgerEntryEntity,
    left: number,
    dto: TopUpRefundDto,
  ): Promise<Pick<LedgerPostInput, 'amount' | 'currency'>> {
    const hasCredits = dto.amount !== undefined && dto.amount !== null;
    const hasCurrency = dto.currencyAmount !== undefined && dto.currencyAmount !== null;
    if (hasCredits && hasCurrency) {
      const message = 'send amount or currencyAmount, not both';
      throw invalidInput([
        { field: 'amount', rule: 'atMostOneAmount', message },
        { field: 'currencyAmount', rule: 'atMostOneAmount', message },
      ]);
    }
    const rate = topUp.currencyCode && topUp.valuePerCreditNanos ? topUp.valuePerCreditNanos : null;
    if (hasCurrency && rate === null) {
      throw invalidField(
        'currencyAmount',
        'topUpHadCurrency',
        `top-up ${topUp.id} was credited in credits; send amount`,
      );
    }
    const given = hasCurrency ? (canonicalCurrencyAmount(dto.currencyAmount) as string) : null;
    const amount =
      given !== null
        ? currencyToCredits(given, { valuePerCreditNanos: rate as number })
        : hasCredits
          ? parseCredits(dto.amount as string | number)
          : left;
    if (amount <= 0) throw invalidField(hasCurrency ? 'currencyAmount' : 'amount', 'isPositive', 'must be more than 0');
    if (rate === null) return { amount, currency: null };
    const code = topUp.currencyCode as string;
    return {
      amount,
      currency: { code, amount: given ?? (await this.inCurrency(amount, code, rate)), valuePerCreditNanos: rate },
    };
  }

  private async inCurrency(amount: number, code: string, rate: number): Promise<string> {
    // The currency's decimals; a currency removed since the top-up falls back to cents.
    const currency = await this.currencies.get(code).catch(() => null);
    const decimals = currency?.decimals ?? 2;
    const scaled = creditsToCurrencyScaled(amount, { valuePerCreditNanos: rate }, decimals);
    return formatScaledDecimal(scaled, decimals, decimals);
  }
}
