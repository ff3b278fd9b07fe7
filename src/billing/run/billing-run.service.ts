import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { OutboxService } from '../outbox/outbox.service';
import type { OutboxDeliveryReport } from '../outbox/outbox.types';
import { SettlementService, SettlementSummary } from '../settlement/settlement.service';
import { ThresholdReport, ThresholdService } from '../thresholds/threshold.service';

export type BillingRunSummary = Omit<SettlementSummary, 'userIds'> & {
  accounts: number;
  thresholds: ThresholdReport & { terminated: number };
  outbox: OutboxDeliveryReport;
};

/**
 * One billing pass for a moment in time: what the hourly cron, POST /admin/billing/run
 * and the demo clock all call. Idempotent: running it twice for the same time settles nothing twice.
 */
@Injectable()
export class BillingRunService {
  constructor(
    private readonly settlement: SettlementService,
    private readonly thresholds: ThresholdService,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(now: Date = this.clock.now()): Promise<BillingRunSummary> {
    const { userIds, ...settled } = await this.settlement.settleDue(now);
    const evaluated = await this.thresholds.evaluate(userIds, now);
    const thresholds = { ...evaluated, terminated: await this.thresholds.terminateOverdue(now) };
    return { ...settled, accounts: userIds.length, thresholds, outbox: await this.outbox.deliverDue(now) };
  }

  /** After a top-up: warnings end, suspended instances may resume, and what that queued goes out. */
  async afterBalanceChange(userId: string, now: Date = this.clock.now()): Promise<void> {
    await this.thresholds.evaluate([userId], now);
    await this.outbox.deliverDue(now);
  }
}
