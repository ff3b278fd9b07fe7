import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/tx';
import type { CreditGrantEntity, GrantDrawEntity } from './credit-grant.entity';
import { type DrawOrder, drawsForDebit, type GrantCategory, openRemainderOfNewGrant, plainCredit } from './grant-draws';
import { GrantRepository } from './grant.repository';

/** What a credit that opens a grant says about it. */
export interface GrantTerms {
  category: GrantCategory;
  /** 0–100; higher is used first within its category. */
  priority: number;
  expiresAtMs: number | null;
}

/** One debit on an account, in the order the ledger posts them. */
export interface Debit {
  userId: string;
  /** The debiting entry's idempotency key, which its draws are recorded under. */
  entryKey: string;
  /** Positive micro-credits taken from the account. */
  amount: number;
  balanceBefore: number;
  order: DrawOrder;
  /** A charge is paid only by grants that had not expired when its hour began. */
  atMs: number;
}

/**
 * The grant side of ledger postings, called by LedgerService inside its transaction while it holds the
 * accounts' row locks: opening a grant with the credit that brings it, drawing on grants for each debit, closing
 * one at its expiry. No balance moves here.
 */
@Injectable()
export class GrantLedgerService {
  constructor(private readonly repository: GrantRepository) {}

  async open(
    tx: Tx,
    input: { userId: string; entryKey: string; amount: number; balanceBefore: number; nowMs: number },
    terms: GrantTerms,
  ): Promise<CreditGrantEntity> {
    const open = await this.repository.openGrants(tx, [input.userId]);
    const remaining = openRemainderOfNewGrant(input.amount, plainCredit(input.balanceBefore, open));
    const grant = await this.repository.insertGrant(tx, {
      userId: input.userId,
      category: terms.category,
      amount: input.amount,
      remaining,
      priority: terms.priority,
      expiresAtMs: terms.expiresAtMs,
      idempotencyKey: input.entryKey,
      closedAtMs: null,
      createdAtMs: input.nowMs,
    });
    // The part that paid a debt is drawn at once, under the grant's own key.
    if (remaining < input.amount) {
      await this.repository.insertDraws(tx, [
        { entryKey: input.entryKey, grantId: grant.id, amount: input.amount - remaining },
      ]);
    }
    return grant;
  }

  /** Records every debit's draws and the grants' new remainders, with one read of the accounts' open grants. */
  async draw(tx: Tx, debits: Debit[]): Promise<void> {
    if (debits.length === 0) return;
    const open = await this.repository.openGrants(tx, [...new Set(debits.map((debit) => debit.userId))]);
    if (open.length === 0) return;
    const byUser = new Map<string, CreditGrantEntity[]>();
    for (const grant of open) byUser.set(grant.userId, [...(byUser.get(grant.userId) ?? []), grant]);

    const draws: GrantDrawEntity[] = [];
    const changed = new Map<number, number>();
    for (const debit of debits) {
      const grants = byUser.get(debit.userId);
      if (!grants) continue;
      const payable =
        debit.order === 'charge'
          ? grants.filter((grant) => grant.expiresAtMs === null || grant.expiresAtMs > debit.atMs)
          : grants;
      for (const draw of drawsForDebit(payable, debit.amount, debit.balanceBefore, debit.order)) {
        const grant = grants.find((candidate) => candidate.id === draw.grantId) as CreditGrantEntity;
        grant.remaining -= draw.amount;
        changed.set(grant.id, grant.remaining);
        draws.push({ entryKey: debit.entryKey, grantId: grant.id, amount: draw.amount });
      }
    }
    await this.repository.insertDraws(tx, draws);
    await this.repository.setRemaining(tx, changed);
  }

  close(tx: Tx, grantId: number, nowMs: number): Promise<unknown> {
    return this.repository.close(tx, grantId, nowMs);
  }
}
