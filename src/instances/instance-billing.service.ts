import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/tx';
import { InstanceBillingRepository } from './instance-billing.repository';
import type { InstanceEntity, SegmentEntity } from './instance.entity';

/**
 * Instances as billing reads and moves them: settlement finds the instances due and marks them settled, re-rating
 * reads their segments, the proof and the audit walk them. The calls that take a `tx` run in the caller's unit of
 * work; lockDueInstances locks the rows until it ends.
 */
@Injectable()
export class InstanceBillingService {
  constructor(private readonly repository: InstanceBillingRepository) {}

  /**
   * The distinct hours live instances are next due at, oldest first: one pass of a run settles each once, so an
   * account far behind moves one hour per pass while everyone else's current hour is settled in the first.
   * Instances of `skipUserIds` (accounts that failed in this run) are left out until the next.
   */
  dueHours(untilMs: number, skipUserIds: string[], limit: number): Promise<number[]> {
    return this.repository.dueHours(untilMs, skipUserIds, limit);
  }

  /** Which of these users still have billable time before `untilMs` to settle (a grant expiring then waits). */
  usersUnsettledBefore(userIds: string[], untilMs: number): Promise<Set<string>> {
    return this.repository.usersUnsettledBefore(userIds, untilMs);
  }

  /** The next page of users owning an instance whose next hour is `hourMs`, after `afterUserId`. */
  usersDueAt(hourMs: number, afterUserId: string, limit: number, skipUserIds: string[] = []): Promise<string[]> {
    return this.repository.usersDueAt(hourMs, afterUserId, limit, skipUserIds);
  }

  /**
   * Whether every hour of the user's instances before `untilMs` is settled (terminated ones count up to their end):
   * what a monthly statement waits for. settled_until only moves forward, so once true it stays true.
   */
  async settledThrough(userId: string, untilMs: number): Promise<boolean> {
    return (await this.repository.countUnsettledBefore(userId, untilMs)) === 0;
  }

  /** Those users' instances still due at `hourMs`, locked so a late host event waits for the settlement. */
  lockDueInstances(tx: Tx, hourMs: number, userIds: string[]): Promise<InstanceEntity[]> {
    return this.repository.lockDueInstances(tx, hourMs, userIds);
  }

  /** Segments of these instances that overlap [fromMs, toMs), oldest first. */
  segmentsOverlapping(tx: Tx, instanceIds: string[], fromMs: number, toMs: number): Promise<SegmentEntity[]> {
    return this.repository.segmentsOverlapping(tx, instanceIds, fromMs, toMs);
  }

  /** Every hour of these (locked) instances before `settledUntilMs` is settled. */
  markSettled(tx: Tx, instanceIds: string[], settledUntilMs: number): Promise<void> {
    return this.repository.markSettled(tx, instanceIds, settledUntilMs);
  }

  find(tx: Tx, id: string): Promise<InstanceEntity | null> {
    return this.repository.find(tx, id);
  }

  /** The next instances after `afterId`, by id. */
  pageAfter(tx: Tx, afterId: string, limit: number): Promise<InstanceEntity[]> {
    return this.repository.pageAfter(tx, afterId, limit);
  }

  /** Every segment of these instances, oldest first. */
  segmentsOf(tx: Tx, instanceIds: string[]): Promise<SegmentEntity[]> {
    return this.repository.segmentsOf(tx, instanceIds);
  }
}
