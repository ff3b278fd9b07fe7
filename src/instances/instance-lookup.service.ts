import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InstanceEntity } from './instance.entity';
import { InstanceRepository } from './instance.repository';

/**
 * How features above instances read instance rows (the wizard, the threshold engine, the widget); changes go
 * through InstanceService. The calls that take a manager lock rows in the caller's transaction.
 */
@Injectable()
export class InstanceLookupService {
  constructor(private readonly repository: InstanceRepository) {}

  find(id: string): Promise<InstanceEntity | null> {
    return this.repository.find(id);
  }

  findForUpdate(id: string, manager: EntityManager): Promise<InstanceEntity | null> {
    return this.repository.findForUpdate(id, manager);
  }

  /** Every instance of the user, terminated ones included, oldest first. */
  listForUser(userId: string): Promise<InstanceEntity[]> {
    return this.repository.listForUser(userId);
  }

  /** The user's instances that are not terminated, read without locks: for showing, not for deciding. */
  liveForUser(userId: string): Promise<InstanceEntity[]> {
    return this.repository.liveForUser(userId);
  }

  /** The user's instances that are not terminated, locked for the caller's transaction. */
  lockLiveForUser(userId: string, manager: EntityManager): Promise<InstanceEntity[]> {
    return this.repository.lockLiveForUser(userId, manager);
  }

  /** Owners of instances billing suspended at or before `beforeMs`. */
  usersSuspendedByBillingSince(beforeMs: number): Promise<string[]> {
    return this.repository.usersSuspendedByBillingSince(beforeMs);
  }
}
