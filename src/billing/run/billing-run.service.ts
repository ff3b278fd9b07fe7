import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BalanceChangedEvent } from '../../accounts/balance-changed.event';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { DomainEvents } from '../../common/domain-events';
import { GrantExpiryService, type GrantExpirySummary } from '../grants/grant-expiry.service';
import { OutboxService } from '../outbox/outbox.service';
import type { OutboxDeliveryReport } from '../outbox/outbox.types';
import { LateUsageService } from '../settlement/late-usage.service';
import { SettlementService, SettlementSummary } from '../settlement/settlement.service';
import { ThresholdBacklogService } from '../thresholds/threshold-backlog.service';
import { ThresholdReport, ThresholdService } from '../thresholds/threshold.service';
import { BillingSettledEvent } from './billing-settled.event';
import { ChargesSettledEvent } from './charges-settled.event';

export type BillingRunSummary = Omit<SettlementSummary, 'userIds'> & {
  /** Accounts this run charged. */
  accounts: number;
  /** Usage reports that arrived after their hour was settled, billed by this run as adjustments. */
  lateUsageReports: number;
  /** Credit grants whose expiry came: those that expired, those waiting for their owner's hours to settle. */
  grants: GrantExpirySummary;
  thresholds: ThresholdReport & {
    terminated: number;
    /** Accounts the reconciliation found out of step with balance and settings, evaluated in this run. */
    reconciled: number;
    /** Accounts still due for evaluation after the run (failed ones, or changed since): the next run takes them. */
    stillDue: number;
  };
  outbox: OutboxDeliveryReport;
};

/**
 * One billing pass for a moment in time: what the hourly cron, POST /admin/billing/run
 * and the demo clock all call. Idempotent: running it twice for the same time settles nothing twice.
 */
@Injectable()
export class BillingRunService implements OnModuleInit {
  private readonly logger = new Logger(BillingRunService.name);

  constructor(
    private readonly settlement: SettlementService,
    private readonly lateUsage: LateUsageService,
    private readonly grantExpiry: GrantExpiryService,
    private readonly thresholds: ThresholdService,
    private readonly backlog: ThresholdBacklogService,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  onModuleInit(): void {
    this.events.on(BalanceChangedEvent, (event) => this.afterBalanceChange(event.userId));
  }

  /**
   * Settles, then evaluates every account due, not only those this run charged: the marks are durable, so what
   * a crashed run (or a failed top-up evaluation) left is finished here. The reconciliation runs every time
   * because this is where a changed setting must take effect, at most an hour late, and it is one walk over the
   * accounts' primary key that writes only the accounts out of step.
   */
  async run(now: Date = this.clock.now()): Promise<BillingRunSummary> {
    const { userIds, ...settled } = await this.settlement.settleDue(now);
    const lateUsage = await this.lateUsage.billLate(now.getTime());
    // After settlement, so an expiring grant has paid every hour that began before its expiry.
    const grants = await this.grantExpiry.expireDue(now.getTime());
    // Before thresholds are evaluated: an auto top-up that goes through now spares the user a suspension.
    await this.events.emit(new ChargesSettledEvent(now));
    const reconciled = await this.backlog.reconcile(now);
    const evaluated = await this.backlog.evaluateDue(now);
    const terminated = await this.thresholds.terminateOverdue(now);
    const thresholds = { ...evaluated, terminated, reconciled, stillDue: await this.backlog.countDue() };
    // Budgets alert and statements close months now settled; they subscribe, billing does not know them.
    await this.events.emit(new BillingSettledEvent(now));
    return {
      ...settled,
      accounts: new Set([...userIds, ...lateUsage.userIds]).size,
      lateUsageReports: lateUsage.reports,
      grants,
      thresholds,
      outbox: await this.outbox.deliverDue(now),
    };
  }

  /**
   * After a top-up or adjustment (committed, with its account marked due): warnings end, suspended instances may
   * resume, and what that queued goes out. Never throws: the credit stands whatever happens here, and an
   * evaluation that did not happen is still due, for a retry of the request or the next run.
   */
  async afterBalanceChange(userId: string, now: Date = this.clock.now()): Promise<void> {
    try {
      await this.thresholds.evaluate([userId], now);
      await this.outbox.deliverDue(now);
    } catch (error) {
      this.logger.error(
        `thresholds for ${userId} after a balance change failed, left due: ${(error as Error).message}`,
      );
    }
  }
}
