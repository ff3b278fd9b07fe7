import { Injectable, NotFoundException } from '@nestjs/common';
import { currencyToCredits, MoneyFormatError, parseCredits } from '../common/money';
import { MAX_CREDIT_AMOUNT_CREDITS, MAX_CREDIT_AMOUNT_MICROS } from '../common/money-bounds';
import { DomainEvents } from '../common/domain-events';
import { Isolation, type Tx, UnitOfWork } from '../common/unit-of-work';
import { FieldViolation, invalidField, invalidInput } from '../common/validation';
import type { CurrencyEntity } from '../currencies/currency.entity';
import { CurrencyService } from '../currencies/currency.service';
import { ViewerCurrency, ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { AuthenticatedUser } from '../host/ports';
import { SettingsService } from '../settings/settings.service';
import { AccountStatus, accountStatus, accountStatusFilter } from './account-status';
import type { AccountCreditDto, CreditAmountDto, CreditKind } from './account.dto';
import type { AccountEntity, LedgerEntryEntity } from './account.entity';
import { AccountRepository } from './account.repository';
import { BalanceChangedEvent } from './balance-changed.event';
import { canonicalCurrencyAmount } from './currency-amount.validator';
import { LedgerPostInput, LedgerService } from './ledger.service';

export const DEFAULT_LEDGER_PAGE = 50;

export interface AccountCredit {
  entry: LedgerEntryEntity;
  created: boolean;
  balance: number;
  /** The account owner's display currency. */
  view: ViewerCurrency;
}

export interface AccountView {
  balance: number;
  status: AccountStatus;
  view: ViewerCurrency;
}

export interface LedgerPage {
  entries: LedgerEntryEntity[];
  nextBefore: number | null;
  view: ViewerCurrency;
}

export interface AccountSummary {
  account: AccountEntity;
  status: AccountStatus;
}

/** The credits a currency amount converts to, held to the same bound as an amount given in credits. */
function convertedWithinBound(given: string, currency: CurrencyEntity): number {
  try {
    const amount = currencyToCredits(given, currency);
    if (Math.abs(amount) <= MAX_CREDIT_AMOUNT_MICROS) return amount;
  } catch (error) {
    // Beyond the exact integer range, so beyond the bound too.
    if (!(error instanceof MoneyFormatError)) throw error;
  }
  throw invalidField(
    'currencyAmount',
    'maxCredits',
    `converts to more than ${MAX_CREDIT_AMOUNT_CREDITS} credits, the most one credit may move either way`,
  );
}

/** Admin credits and what users and admins read about accounts; balances change only through LedgerService. */
@Injectable()
export class AccountService {
  constructor(
    private readonly repository: AccountRepository,
    private readonly ledger: LedgerService,
    private readonly settings: SettingsService,
    private readonly currencies: CurrencyService,
    private readonly viewerCurrency: ViewerCurrencyService,
    private readonly events: DomainEvents,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /**
   * Credits (or, for an adjustment, debits) an account once per reference and kind. A repeat with the same
   * reference returns the first entry and writes nothing, even when its amount differs: the reference is the
   * payment, and a payment is credited once.
   */
  async credit(userId: string, dto: AccountCreditDto, admin: AuthenticatedUser): Promise<AccountCredit> {
    const kind: CreditKind = dto.kind ?? 'topup';
    const { amount, currency } = await this.resolveAmount(dto);
    this.checkKindRules(kind, amount, dto);
    const input: LedgerPostInput = {
      userId,
      kind,
      amount,
      idempotencyKey: `${kind}:${dto.reference}`,
      currency,
      note: dto.note?.trim() || null,
      createdBy: admin.id,
    };
    const { entry, created } = await this.unitOfWork.run((tx) => this.ledger.post(tx, input), {
      isolation: Isolation.LockedWrites,
    });
    // Also on a repeat: if the first request's evaluation never happened, the account is still due and it runs now.
    // Billing, above accounts, handles it: warnings end, suspended instances resume, before this answers.
    await this.events.emit(new BalanceChangedEvent(userId));
    const account = await this.repository.findAccount(userId);
    return { entry, created, balance: account?.balance ?? 0, view: await this.viewerCurrency.forUser(userId) };
  }

  /** Reading never creates an account: a user who was never credited simply has 0. */
  async account(userId: string): Promise<AccountView> {
    const [account, settings, view] = await Promise.all([
      this.repository.findAccount(userId),
      this.settings.get(),
      this.viewerCurrency.forUser(userId),
    ]);
    const balance = account?.balance ?? 0;
    const hasEntries = balance !== 0 || (await this.repository.usersWithEntries([userId])).size > 0;
    const standing = { balance, billingSuspendedAtMs: account?.billingSuspendedAtMs ?? null, hasEntries };
    return { balance, status: accountStatus(standing, settings), view };
  }

  /** Whether the user has any ledger entry (read in `tx` when given): a new account has none. */
  async hasEntries(userId: string, tx?: Tx): Promise<boolean> {
    return (await this.repository.usersWithEntries([userId], tx)).has(userId);
  }

  async ledgerPage(userId: string, limit = DEFAULT_LEDGER_PAGE, before?: number): Promise<LedgerPage> {
    // One row beyond the page tells whether another page follows without a COUNT.
    const rows = await this.repository.listEntries(userId, before, limit + 1);
    const entries = rows.slice(0, limit);
    const nextBefore = rows.length > limit ? entries[entries.length - 1].id : null;
    return { entries, nextBefore, view: await this.viewerCurrency.forUser(userId) };
  }

  /**
   * Of each top-up among `entries`, what is left to refund: its amount less every refund and chargeback of it,
   * wherever in the ledger they are (they come after it, so often on a newer page).
   */
  async refundableOf(entries: LedgerEntryEntity[]): Promise<Map<number, number>> {
    const topUps = entries.filter((entry) => entry.kind === 'topup');
    const reversals = await this.repository.reversalsOf(topUps.map((entry) => entry.id));
    const left = new Map(topUps.map((entry) => [entry.id, entry.amount]));
    for (const reversal of reversals) {
      const id = reversal.reversesEntryId as number;
      // Reversal amounts are negative: each takes its part off what is left.
      left.set(id, (left.get(id) ?? 0) + reversal.amount);
    }
    return left;
  }

  async list(status?: AccountStatus): Promise<{ accounts: AccountSummary[]; currency: CurrencyEntity }> {
    const [settings, currencies] = await Promise.all([this.settings.get(), this.currencies.list()]);
    const accounts = await this.repository.listAccounts(status && accountStatusFilter(status, settings));
    const currency = currencies.find((c) => c.isDefault);
    if (!currency) throw new Error('no default currency is configured');
    // The balance is the sum of the entries, so only an account at 0 can be without any.
    const atZero = accounts.filter((account) => account.balance === 0).map((account) => account.userId);
    const withEntries = await this.repository.usersWithEntries(atZero);
    return {
      accounts: accounts.map((account) => ({
        account,
        status: accountStatus(
          { ...account, hasEntries: account.balance !== 0 || withEntries.has(account.userId) },
          settings,
        ),
      })),
      currency,
    };
  }

  /** The credits an amount given in credits or in a configured currency comes to, with the currency's terms. */
  async resolveAmount(dto: CreditAmountDto): Promise<Pick<LedgerPostInput, 'amount' | 'currency'>> {
    const hasCredits = dto.amount !== undefined && dto.amount !== null;
    const hasCurrency = dto.currencyAmount !== undefined && dto.currencyAmount !== null;
    if (hasCredits === hasCurrency) {
      const message = hasCredits ? 'send amount or currencyAmount, not both' : 'send amount or currencyAmount';
      throw invalidInput([
        { field: 'amount', rule: 'exactlyOneAmount', message },
        { field: 'currencyAmount', rule: 'exactlyOneAmount', message },
      ]);
    }
    if (hasCredits) {
      if (dto.currency !== undefined && dto.currency !== null) {
        throw invalidField('currency', 'onlyWithCurrencyAmount', 'is only used with currencyAmount');
      }
      return { amount: parseCredits(dto.amount as string | number), currency: null };
    }
    if (!dto.currency) throw invalidField('currency', 'isDefined', 'is required with currencyAmount');
    const currency = await this.existingCurrency(dto.currency);
    const given = canonicalCurrencyAmount(dto.currencyAmount) as string;
    const amount = convertedWithinBound(given, currency);
    return {
      amount,
      currency: { code: currency.code, amount: given, valuePerCreditNanos: currency.valuePerCreditNanos },
    };
  }

  private async existingCurrency(code: string): Promise<CurrencyEntity> {
    try {
      return await this.currencies.get(code);
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      throw invalidField('currency', 'isKnownCurrency', `${code} is not one of the configured currencies`);
    }
  }

  private checkKindRules(kind: CreditKind, amount: number, dto: AccountCreditDto): void {
    const field = dto.currencyAmount !== undefined && dto.currencyAmount !== null ? 'currencyAmount' : 'amount';
    const violations: FieldViolation[] = [];
    if (kind === 'adjustment') {
      if (amount === 0) violations.push({ field, rule: 'nonZero', message: 'an adjustment must move some credits' });
      if (!dto.note?.trim()) {
        violations.push({
          field: 'note',
          rule: 'requiredForAdjustment',
          message: 'an adjustment needs a note saying why',
        });
      }
    } else if (amount <= 0) {
      violations.push({
        field,
        rule: 'isPositive',
        message: `a ${kind} must be greater than 0${amount === 0 ? '' : '; use kind "adjustment" to debit'}`,
      });
    }
    if (violations.length > 0) throw invalidInput(violations);
  }
}
