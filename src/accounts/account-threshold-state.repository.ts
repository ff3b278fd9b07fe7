import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { activeInstanceExistsSql } from '../instances/active-instance-sql';
import type { SettingsEntity } from '../settings/settings.entity';
import { AccountEntity, LedgerEntryEntity } from './account.entity';

/** The settings an account's recorded threshold state is checked against. */
export type ThresholdLevels = Pick<
  SettingsEntity,
  'lowBalanceThreshold' | 'negativeBalanceThreshold' | 'suspensionThreshold' | 'autoUnsuspend'
>;

/** Read-only: which accounts' recorded threshold state the reconciliation should have evaluated. */
@Injectable()
export class AccountThresholdStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The next accounts after `afterUserId` (by primary key) that are not due for evaluation yet whose recorded
   * state is not what billing's threshold rules would leave for their balance at `levels`: a warning flag missing
   * (or left over) for the balance, suspended above the threshold with auto-unsuspend on, not suspended below it,
   * or below it with an instance still running or stopped. Plain comparisons of the row's own columns; the two
   * EXISTS probes (by indexed user_id) run only for rows the comparisons already picked. The runway warning
   * depends on the burn rate, not on stored columns, so it is left to the evaluations that charges trigger.
   */
  async outOfStep(afterUserId: string, limit: number, levels: ThresholdLevels): Promise<string[]> {
    const entries = this.dataSource
      .createQueryBuilder()
      .subQuery()
      .select('1')
      .from(LedgerEntryEntity, 'entry')
      .where('entry.user_id = account.user_id')
      .getQuery();
    const running = activeInstanceExistsSql('account.user_id');
    // An account at 0 without entries never had credit: no warning is owed (billing's EpisodeState.neverCredited).
    const warnable = `(account.balance <> 0 OR EXISTS ${entries})`;
    const neverCredited = `(account.balance = 0 AND NOT EXISTS ${entries})`;
    const warning = (flag: string, threshold: string) => [
      `(account.balance <= ${threshold} AND account.${flag} IS NULL AND ${warnable})`,
      `(account.${flag} IS NOT NULL AND (account.balance > ${threshold} OR ${neverCredited}))`,
    ];
    const disagreements = [
      ...warning('low_notified_at_ms', ':low'),
      ...warning('negative_notified_at_ms', ':negative'),
      `(account.balance < :suspension AND (account.billing_suspended_at IS NULL OR ${running}))`,
      ...(levels.autoUnsuspend
        ? ['(account.balance >= :suspension AND account.billing_suspended_at IS NOT NULL)']
        : []),
    ];
    const rows = await this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      .select('account.user_id', 'userId')
      .where('account.user_id > :afterUserId', { afterUserId })
      .andWhere('account.evaluation_due_at_ms IS NULL')
      .andWhere(`(${disagreements.join(' OR ')})`, {
        low: levels.lowBalanceThreshold,
        negative: levels.negativeBalanceThreshold,
        suspension: levels.suspensionThreshold,
      })
      .orderBy('account.user_id', 'ASC')
      .limit(limit)
      .getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }
}
