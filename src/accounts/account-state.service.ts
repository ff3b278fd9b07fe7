import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccountEntity } from './account.entity';
import { AccountRepository, EvaluationDue } from './account.repository';

export type { EvaluationDue } from './account.repository';

/** What the threshold engine records on an account: the notices of its current episode and its suspension. */
export type ThresholdState = Pick<
  AccountEntity,
  'lowNotifiedAtMs' | 'negativeNotifiedAtMs' | 'runwayNotifiedAtMs' | 'billingSuspendedAt'
>;

/**
 * What features above accounts read and write on an account besides its balance (which only LedgerService moves):
 * the threshold engine's due marks and recorded state, and the account row itself. The calls that take a manager
 * run in the caller's transaction, which `transaction` opens.
 */
@Injectable()
export class AccountStateService {
  constructor(private readonly repository: AccountRepository) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.repository.transaction(work);
  }

  /** Reading never creates an account. */
  find(userId: string): Promise<AccountEntity | null> {
    return this.repository.findAccount(userId);
  }

  /** Which of these users have any ledger entry: one without any never had credit. */
  usersWithEntries(userIds: string[], manager: EntityManager): Promise<Set<string>> {
    return this.repository.usersWithEntries(userIds, manager);
  }

  markEvaluationDue(manager: EntityManager, userIds: string[], nowMs: number): Promise<void> {
    return this.repository.markEvaluationDue(manager, userIds, nowMs);
  }

  evaluationsDue(after: EvaluationDue | null, limit: number): Promise<EvaluationDue[]> {
    return this.repository.evaluationsDue(after, limit);
  }

  countEvaluationsDue(): Promise<number> {
    return this.repository.countEvaluationsDue();
  }

  /** Call under the account's row lock (LedgerService.lockAccounts): it also clears the account's due mark. */
  saveThresholdState(manager: EntityManager, userId: string, state: ThresholdState): Promise<void> {
    return this.repository.saveThresholdState(manager, userId, state);
  }
}
