import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/unit-of-work';
import type { InstanceEntity } from './instance.entity';
import { InstanceRepository } from './instance.repository';

/**
 * How features above instances read instance rows (the wizard, the threshold engine, the widget); changes go
 * through InstanceService. The calls that take a `tx` lock rows in the caller's unit of work.
 */
@Injectable()
export class InstanceLookupService {
  constructor(private readonly repository: InstanceRepository) {}

  find(id: string): Promise<InstanceEntity | null> {
    return this.repository.find(id);
  }

  findForUpdate(tx: Tx, id: string): Promise<InstanceEntity | null> {
    return this.repository.findForUpdate(tx, id);
  }

  /** Every instance of the user, terminated ones included, oldest first. */
  listForUser(userId: string): Promise<InstanceEntity[]> {
    return this.repository.listForUser(userId);
  }

  /**
   * The user's instances that are not terminated, read without locks: for showing, or in `tx` for creation's
   * credit check, which holds the owner's account lock (that creating an instance takes too).
   */
  liveForUser(userId: string, tx?: Tx): Promise<InstanceEntity[]> {
    return this.repository.liveForUser(userId, tx);
  }

  /** The user's instances that are not terminated, locked for the caller's unit of work. */
  lockLiveForUser(tx: Tx, userId: string): Promise<InstanceEntity[]> {
    return this.repository.lockLiveForUser(tx, userId);
  }

  /** Owners of instances billing suspended at or before `beforeMs`. */
  usersSuspendedByBillingSince(beforeMs: number): Promise<string[]> {
    return this.repository.usersSuspendedByBillingSince(beforeMs);
  }
}
