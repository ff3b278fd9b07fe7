import { Injectable } from '@nestjs/common';
import { AccountThresholdStateRepository, type ThresholdLevels } from './account-threshold-state.repository';

export type { ThresholdLevels } from './account-threshold-state.repository';

/** How billing's threshold reconciliation finds the accounts whose recorded state a change of settings made wrong. */
@Injectable()
export class AccountThresholdStateService {
  constructor(private readonly repository: AccountThresholdStateRepository) {}

  /**
   * The next page (by user id, after `afterUserId`) of accounts not due for evaluation whose warning flags or
   * suspension disagree with their balance at `levels`; an empty page means the walk is done.
   */
  outOfStep(afterUserId: string, limit: number, levels: ThresholdLevels): Promise<string[]> {
    return this.repository.outOfStep(afterUserId, limit, levels);
  }
}
