import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/unit-of-work';
import type { AccountEntity } from './account.entity';
import { AccountRepository, EvaluationDue, ThresholdState } from './account.repository';

export type { EvaluationDue, ThresholdState } from './account.repository';

/**
 * What features above accounts read and write on an account besides its balance (which only LedgerService moves):
 * the threshold engine's due marks and recorded state, and the account row itself. The calls that take a `tx` run
 * in the caller's unit of work (UnitOfWork.run).
 */
@Injectable()
export class AccountStateService {
  constructor(private readonly repository: AccountRepository) {}

  /** Reading never creates an account. */
  find(userId: string): Promise<AccountEntity | null> {
    return this.repository.findAccount(userId);
  }

  /** Which of these users have any ledger entry: one without any never had credit. */
  usersWithEntries(tx: Tx, userIds: string[]): Promise<Set<string>> {
    return this.repository.usersWithEntries(userIds, tx);
  }

  markEvaluationDue(tx: Tx, userIds: string[], nowMs: number): Promise<void> {
    return this.repository.markEvaluationDue(tx, userIds, nowMs);
  }

  evaluationsDue(after: EvaluationDue | null, limit: number): Promise<EvaluationDue[]> {
    return this.repository.evaluationsDue(after, limit);
  }

  countEvaluationsDue(): Promise<number> {
    return this.repository.countEvaluationsDue();
  }

  /** Call under the account's row lock (LedgerService.lockAccounts): it also clears the account's due mark. */
  saveThresholdState(tx: Tx, userId: string, state: ThresholdState): Promise<void> {
    return this.repository.saveThresholdState(tx, userId, state);
  }
}
