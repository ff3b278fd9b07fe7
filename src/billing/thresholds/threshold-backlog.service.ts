import { Injectable, Logger } from '@nestjs/common';
import { AccountStateService, EvaluationDue } from '../../accounts/account-state.service';
import { AccountThresholdStateService } from '../../accounts/account-threshold-state.service';
import { Isolation, UnitOfWork } from '../../common/unit-of-work';
import { SettingsService } from '../../settings/settings.service';
import { ThresholdReport, ThresholdService } from './threshold.service';

/** Accounts read per page, by both the reconciliation and the walk over due evaluations. */
export const THRESHOLD_PAGE_SIZE = 1000;

/**
 * Thresholds from durable state. Whatever changed a balance marked the account due in its own transaction; the
 * billing run evaluates every due account, whoever marked it and whether or not this run charged it, so an
 * evaluation lost to a crash or a failed top-up is done by the next run. The reconciliation marks accounts whose
 * recorded state the current settings make wrong (an admin moved a threshold), which no balance change would.
 */
@Injectable()
export class ThresholdBacklogService {
  private readonly logger = new Logger(ThresholdBacklogService.name);

  constructor(
    private readonly thresholds: ThresholdService,
    private readonly accounts: AccountStateService,
    private readonly state: AccountThresholdStateService,
    private readonly settings: SettingsService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Marks due the accounts whose recorded threshold state disagrees with balance and settings; returns how many. */
  async reconcile(now: Date): Promise<number> {
    const settings = await this.settings.get();
    let marked = 0;
    for (let afterUserId = ''; ;) {
      const userIds = await this.state.outOfStep(afterUserId, THRESHOLD_PAGE_SIZE, settings);
      if (userIds.length === 0) break;
      await this.unitOfWork.run((tx) => this.accounts.markEvaluationDue(tx, userIds, now.getTime()), {
        isolation: Isolation.LockedWrites,
      });
      marked += userIds.length;
      afterUserId = userIds[userIds.length - 1];
    }
    if (marked > 0) this.logger.log(`${marked} accounts' threshold state disagreed with the settings: marked due`);
    return marked;
  }

  /** Evaluates every account due, oldest mark first; a failed one stays due and the walk goes on past it. */
  async evaluateDue(now: Date): Promise<ThresholdReport> {
    const total: ThresholdReport = { evaluated: 0, failed: 0, emails: 0, suspended: 0, resumed: 0 };
    for (let after: EvaluationDue | null = null; ;) {
      const page = await this.accounts.evaluationsDue(after, THRESHOLD_PAGE_SIZE);
      if (page.length === 0) break;
      const report = await this.thresholds.evaluate(
        page.map((due) => due.userId),
        now,
      );
      for (const key of Object.keys(total) as (keyof ThresholdReport)[]) total[key] += report[key];
      after = page[page.length - 1];
    }
    return total;
  }

  /** Accounts still due, e.g. after a run: those whose evaluation failed, or that changed since. */
  countDue(): Promise<number> {
    return this.accounts.countEvaluationsDue();
  }
}
