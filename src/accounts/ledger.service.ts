import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../cloud-billing.constants';
import type { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/database';
import { leavesBalanceBound, MAX_BALANCE_CREDITS } from '../common/money-bounds';
import { type Tx, UnitOfWork } from '../common/unit-of-work';
import { invalidField } from '../common/validation';
import type { AccountEntity, LedgerEntryEntity, LedgerKind } from './account.entity';
import { AccountRepository, NewLedgerEntry } from './account.repository';
import type { DrawOrder } from './grants/grant-draws';
import { GrantLedgerService, type GrantTerms } from './grants/grant-ledger.service';

/** The longest idempotency key the ledger stores (the column is varchar(160)). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 160;

export interface LedgerPostInput {
  userId: string;
  kind: LedgerKind;
  /** Signed micro-credits, never 0: positive credits the account, negative debits it. */
  amount: number;
  /** Identifies the operation: posting the same key again adds nothing and returns the first entry. */
  idempotencyKey: string;
  /** When the amount was given in a currency: its code, the amount as given and the value per credit used. */
  currency?: { code: string; amount: string; valuePerCreditNanos: number } | null;
  note?: string | null;
  /** The admin who posted it; omit for entries the billing engine writes. */
  createdBy?: string | null;
  /** The settled hour an engine charge or re-rating adjustment is for. */
  hourStartMs?: number | null;
  /** The instance a re-rating adjustment corrects. */
  instanceId?: string | null;
  /** A credit that opens a grant (promotional, or paid with a priority or expiry) with this entry. */
  grant?: GrantTerms | null;
  /** An `expiry` entry: the grant it closes (the entry takes its remainder; nothing is drawn). */
  closesGrantId?: number | null;
  /** A top-up refund or chargeback: the top-up it reverses. */
  reversesEntryId?: number | null;
}

/** Money paid back (a top-up refund, a chargeback) is taken from paid credit first; every other debit is spent. */
const drawOrderOf = (kind: LedgerKind): DrawOrder =>
  kind === 'topup-refund' || kind === 'chargeback' ? 'paid-first' : 'charge';

/** Code-unit order, the same as lockAccounts' `sort()`. */
const byUserId = (a: { userId: string }, b: { userId: string }) =>
  a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;

/** One account's charge for an hour: `amount` is negative (or 0, which posts nothing). */
export type LedgerChargeInput = Pick<LedgerPostInput, 'userId' | 'amount' | 'idempotencyKey' | 'note'> & {
  hourStartMs: number;
};

export interface LedgerPostResult {
  entry: LedgerEntryEntity;
  /** False when the key was already posted: `entry` is then the first entry and nothing was written. */
  created: boolean;
}

/**
 * The only writer of balances. Every movement of credits is one immutable
 * entry plus the balance update, in the caller's transaction, under the
 * account's row lock: the balance always equals the sum of the entries.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly repository: AccountRepository,
    private readonly grants: GrantLedgerService,
    private readonly unitOfWork: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Posts one entry within the caller's unit of work `tx`. Idempotent by key: a key already
   * posted, or one a concurrent transaction commits first, returns that entry with `created: false`.
   * For credits, refunds and adjustments: the balance may not leave ±MAX_BALANCE_CREDITS. Hourly charges go
   * through postCharges, which that bound never stops (a charge is owed whatever the balance).
   */
  async post(tx: Tx, input: LedgerPostInput): Promise<LedgerPostResult> {
    this.assertPostable(tx, input);
    const existing = await this.repository.findEntryByKey(tx, input.idempotencyKey);
    if (existing) return this.replay(existing, input);

    const nowMs = this.clock.now().getTime();
    await this.repository.ensureAccounts(tx, [input.userId], nowMs);
    const account = await this.repository.lockAccount(tx, input.userId);
    const balanceAfter = account.balance + input.amount;
    // Read under the lock, so two credits at once cannot each pass and together leave the bound.
    if (leavesBalanceBound(account.balance, balanceAfter)) {
      throw invalidField(
        'amount',
        'balanceRange',
        `would take the balance beyond ±${MAX_BALANCE_CREDITS} credits, the most an account may hold either way`,
      );
    }
    try {
      const entry = await this.unitOfWork.savepoint(tx, async (inner) => {
        const inserted = await this.repository.insertEntry(inner, {
          userId: input.userId,
          kind: input.kind,
          amount: input.amount,
          balanceAfter,
          idempotencyKey: input.idempotencyKey,
          currencyCode: input.currency?.code ?? null,
          currencyAmount: input.currency?.amount ?? null,
          valuePerCreditNanos: input.currency?.valuePerCreditNanos ?? null,
          note: input.note ?? null,
          createdBy: input.createdBy ?? null,
          hourStartMs: input.hourStartMs ?? null,
          instanceId: input.instanceId ?? null,
          reversesEntryId: input.reversesEntryId ?? null,
          createdAt: new Date(nowMs),
        });
        await this.repository.setBalance(inner, input.userId, balanceAfter, nowMs);
        await this.applyToGrants(inner, input, account.balance, nowMs);
        return inserted;
      });
      return { entry, created: true };
    } catch (error) {
      // A concurrent transaction posted the same key after our pre-check; its entry stands and ours is undone.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.repository.findEntryByKey(tx, input.idempotencyKey, true);
      if (!winner) throw error;
      return this.replay(winner, input);
    }
  }

  /**
   * Creates any missing accounts and locks them all, sorted by user id. A transaction that will post to several
   * accounts calls this first, so two such transactions queue on their first shared account instead of each
   * holding one the other needs.
   */
  async lockAccounts(tx: Tx, userIds: string[]): Promise<Map<string, AccountEntity>> {
    this.assertTransaction(tx);
    const sorted = [...new Set(userIds)].sort();
    if (sorted.length === 0) return new Map();
    await this.repository.ensureAccounts(tx, sorted, this.clock.now().getTime());
    const accounts = await this.repository.lockAccounts(tx, sorted);
    return new Map(accounts.map((account) => [account.userId, account]));
  }

  /**
   * Posts a settlement batch's hourly charges as kind "charge" in a handful of statements, not a few per
   * account: the accounts are locked (unless the caller passes the ones it locked) and the entries and new
   * balances are written in bulk. A zero charge posts nothing (an hour that cost nothing leaves no entry); a
   * positive one is refused, since a charge never credits.
   *
   * Each call is new money: settlement charges an instance-hour once (under the instance's row lock, moving
   * its settled-until mark in the same transaction), so a second charge for an account-hour comes from an
   * instance registered late into an hour already charged. It gets the next key for that hour
   * (`<key>:2`, `:3`, …) instead of being mistaken for a replay of the first; the unique index still
   * refuses two writers choosing the same one.
   */
  async postCharges(
    tx: Tx,
    charges: LedgerChargeInput[],
    locked?: Map<string, AccountEntity>,
  ): Promise<{ posted: number }> {
    const positive = charges.find((charge) => charge.amount > 0);
    if (positive) throw new RangeError(`charge ${positive.idempotencyKey} would credit the account`);
    const due = charges.filter((charge) => charge.amount !== 0).sort(byUserId);
    for (const charge of due) this.assertPostable(tx, { ...charge, kind: 'charge' });
    if (due.length === 0) return { posted: 0 };

    const accounts =
      locked ??
      (await this.lockAccounts(
        tx,
        due.map((charge) => charge.userId),
      ));
    const keys = await this.followUpKeys(tx, due);
    const nowMs = this.clock.now().getTime();
    const entries: NewLedgerEntry[] = due.map((charge) => {
      const account = accounts.get(charge.userId) as AccountEntity;
      account.balance += charge.amount;
      if (!Number.isSafeInteger(account.balance)) {
        throw new RangeError(`${charge.userId}'s balance left the exact range`);
      }
      return {
        userId: charge.userId,
        kind: 'charge',
        amount: charge.amount,
        balanceAfter: account.balance,
        idempotencyKey: keys.get(charge.idempotencyKey) ?? charge.idempotencyKey,
        currencyCode: null,
        currencyAmount: null,
        valuePerCreditNanos: null,
        note: charge.note ?? null,
        createdBy: null,
        hourStartMs: charge.hourStartMs,
        instanceId: null,
        reversesEntryId: null,
        createdAt: new Date(nowMs),
      };
    });
    await this.grants.draw(
      tx,
      entries.map((entry) => ({
        userId: entry.userId,
        entryKey: entry.idempotencyKey,
        amount: -entry.amount,
        balanceBefore: entry.balanceAfter - entry.amount,
        order: 'charge',
        atMs: entry.hourStartMs as number,
      })),
    );
    await this.repository.insertEntries(tx, entries);
    await this.repository.setBalances(
      tx,
      new Map(entries.map((e) => [e.userId, accounts.get(e.userId)!.balance])),
      nowMs,
    );
    return { posted: entries.length };
  }

  /** The grant side of one posted entry: a credit may open a grant, a debit draws on them or closes one. */
  private async applyToGrants(tx: Tx, input: LedgerPostInput, balanceBefore: number, nowMs: number): Promise<void> {
    const common = { userId: input.userId, entryKey: input.idempotencyKey, balanceBefore };
    if (input.amount > 0) {
      if (input.grant) await this.grants.open(tx, { ...common, amount: input.amount, nowMs }, input.grant);
    } else if (input.closesGrantId !== undefined && input.closesGrantId !== null) {
      await this.grants.close(tx, input.closesGrantId, nowMs);
    } else {
      const order = drawOrderOf(input.kind);
      await this.grants.draw(tx, [{ ...common, amount: -input.amount, order, atMs: input.hourStartMs ?? nowMs }]);
    }
  }

  /** For charges whose key is taken (the account-hour was charged before): the hour's next free key. */
  private async followUpKeys(tx: Tx, charges: LedgerChargeInput[]): Promise<Map<string, string>> {
    const taken = await this.repository.existingKeys(
      tx,
      charges.map((charge) => charge.idempotencyKey),
    );
    const again = charges.filter((charge) => taken.has(charge.idempotencyKey));
    const keys = new Map<string, string>();
    for (const [hourStartMs, group] of groupByHour(again)) {
      const counts = await this.repository.chargesPerHour(
        tx,
        hourStartMs,
        new Map(group.map((charge) => [charge.userId, charge.idempotencyKey])),
      );
      for (const charge of group) {
        keys.set(charge.idempotencyKey, `${charge.idempotencyKey}:${(counts.get(charge.userId) ?? 1) + 1}`);
      }
    }
    return keys;
  }

  private assertTransaction(tx: Tx): void {
    // Without an open transaction a row lock ends with its SELECT and two posts could lose an update.
    if (!this.repository.isOpen(tx)) {
      throw new Error('LedgerService must run inside a transaction (pass the tx of a UnitOfWork.run)');
    }
  }

  private assertPostable(tx: Tx, input: LedgerPostInput): void {
    this.assertTransaction(tx);
    if (!Number.isSafeInteger(input.amount) || input.amount === 0) {
      throw new RangeError(`a ledger amount must be a non-zero safe integer of micro-credits (got ${input.amount})`);
    }
    if (!input.idempotencyKey || input.idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new RangeError(`an idempotency key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
  }

  private replay(existing: LedgerEntryEntity, input: LedgerPostInput): LedgerPostResult {
    // A key names one operation on one account; reusing it for another account is a caller's mistake to surface.
    if (existing.userId !== input.userId) {
      throw new ConflictException(
        `idempotency key ${input.idempotencyKey} was already used for another account (entry ${existing.id})`,
      );
    }
    return { entry: existing, created: false };
  }
}

function groupByHour(charges: LedgerChargeInput[]): Map<number, LedgerChargeInput[]> {
  const groups = new Map<number, LedgerChargeInput[]>();
  for (const charge of charges) groups.set(charge.hourStartMs, [...(groups.get(charge.hourStartMs) ?? []), charge]);
  return groups;
}
