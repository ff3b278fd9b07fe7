import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { forUpdate } from '../common/database';
import { managerOf, managerOr, type Tx } from '../common/tx';
import { AttemptStatus, AutoTopUpAttemptEntity, AutoTopUpRuleEntity } from './auto-top-up.entities';

export type NewAttempt = Omit<AutoTopUpAttemptEntity, 'id'>;

/** Statuses that count against the monthly limit: the money was taken or may still be. */
const COUNTED: AttemptStatus[] = ['pending', 'succeeded'];

@Injectable()
export class AutoTopUpRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private rules(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(AutoTopUpRuleEntity);
  }

  private attempts(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(AutoTopUpAttemptEntity);
  }

  findRule(userId: string, tx?: Tx): Promise<AutoTopUpRuleEntity | null> {
    return this.rules(tx).findOneBy({ userId });
  }

  /** Under the rule's row lock (MySQL; SQLite's transactions take turns anyway) until the transaction ends. */
  lockRule(tx: Tx, userId: string): Promise<AutoTopUpRuleEntity | null> {
    return forUpdate(this.rules(tx).createQueryBuilder('rule').where('rule.user_id = :userId', { userId })).getOne();
  }

  /** Rules after `afterUserId`, in user id order: the billing run walks them all by key, a page at a time. */
  rulesAfter(afterUserId: string | null, limit: number): Promise<AutoTopUpRuleEntity[]> {
    const query = this.rules().createQueryBuilder('rule');
    if (afterUserId !== null) query.where('rule.user_id > :afterUserId', { afterUserId });
    return query.orderBy('rule.user_id', 'ASC').limit(limit).getMany();
  }

  async saveRule(tx: Tx, rule: AutoTopUpRuleEntity): Promise<void> {
    await this.rules(tx).save(rule);
  }

  async deleteRule(tx: Tx, userId: string): Promise<boolean> {
    const result = await this.rules(tx).delete({ userId });
    return (result.affected ?? 0) > 0;
  }

  async insertAttempt(tx: Tx, attempt: NewAttempt): Promise<void> {
    await managerOf(tx)
      .createQueryBuilder()
      .insert()
      .into(AutoTopUpAttemptEntity)
      .values(attempt)
      .updateEntity(false)
      .execute();
  }

  findAttempt(attemptKey: string, tx?: Tx): Promise<AutoTopUpAttemptEntity | null> {
    return this.attempts(tx).findOneBy({ attemptKey });
  }

  lockAttempt(tx: Tx, attemptKey: string): Promise<AutoTopUpAttemptEntity | null> {
    const query = this.attempts(tx)
      .createQueryBuilder('attempt')
      .where('attempt.attempt_key = :attemptKey', { attemptKey });
    return forUpdate(query).getOne();
  }

  async updateAttempt(tx: Tx, attemptKey: string, changes: Partial<AutoTopUpAttemptEntity>): Promise<void> {
    await this.attempts(tx).update({ attemptKey }, changes);
  }

  /**
   * Cancels the user's pending attempts none of whose gateway calls can have taken money (each call started ended
   * in a recorded failure); one with a call outstanding is left to finish. Returns how many were cancelled.
   */
  async cancelUncharged(tx: Tx, userId: string, nowMs: number): Promise<number> {
    const result = await managerOf(tx)
      .createQueryBuilder()
      .update(AutoTopUpAttemptEntity)
      .set({ status: 'cancelled', completedAtMs: nowMs })
      .where('user_id = :userId AND status = :pending AND calls = failures', { userId, pending: 'pending' })
      .execute();
    return result.affected ?? 0;
  }

  /** The credits this month's counted attempts asked for, and whether one is in flight. */
  async monthState(tx: Tx, userId: string, month: string): Promise<{ totalMicros: number; inFlight: boolean }> {
    // Locking reads: they see what a replica that held the locks before us committed, not this transaction's snapshot.
    const counted = this.attempts(tx)
      .createQueryBuilder('attempt')
      .where('attempt.user_id = :userId AND attempt.month = :month', { userId, month })
      .andWhere({ status: In(COUNTED) });
    const rows = await forUpdate(counted).getMany();
    // An attempt from an earlier month may still be retrying: it is in flight too.
    const pending = this.attempts(tx)
      .createQueryBuilder('attempt')
      .where('attempt.user_id = :userId AND attempt.status = :pending', { userId, pending: 'pending' });
    const inFlight = (await forUpdate(pending).getCount()) > 0;
    return { totalMicros: rows.reduce((sum, row) => sum + row.requestedMicros, 0), inFlight };
  }

  /** Outside a transaction, for the user's page: what this month's counted attempts asked for. */
  async monthTotal(userId: string, month: string): Promise<number> {
    const rows = await this.attempts().find({
      select: { requestedMicros: true },
      where: { userId, month, status: In(COUNTED) },
    });
    return rows.reduce((sum, row) => sum + row.requestedMicros, 0);
  }

  recentAttempts(userId: string, limit: number): Promise<AutoTopUpAttemptEntity[]> {
    return this.attempts().find({ where: { userId }, order: { id: 'DESC' }, take: limit });
  }
}
