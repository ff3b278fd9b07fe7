import { Inject, Injectable, Logger } from '@nestjs/common';
import { LedgerService } from '../../accounts/ledger.service';
import { CLOCK } from '../../cloud-billing.constants';
import type { Clock } from '../../common/clock';
import { formatCredits } from '../../common/money';
import { dayKey } from '../../reports/report-calendar';
import { SettingsService } from '../../settings/settings.service';
import { HOUR_MS, hourStartOf, monthKey } from '../rating';
import { settleHour } from './hour-settlement';
import { SettlementRepository } from './settlement.repository';

export interface SettlementSummary {
  /** Every complete hour before this instant is settled. */
  settledUntil: string;
  hours: number;
  instanceHours: number;
  charges: number;
  chargedCredits: string;
  /** Users whose balance changed: thresholds are evaluated for them next. */
  userIds: string[];
}

/** The key of an account's charge for one hour: a second charge for that hour is refused by the unique index. */
export const hourlyChargeKey = (userId: string, hourStartMs: number) =>
  `charge:${userId}:${new Date(hourStartMs).toISOString()}`;

/**
 * Settles every complete hour not yet settled, oldest first, in batches of accounts.
 * Each batch is one transaction that locks its accounts and their due instances, so a
 * second replica running at the same moment waits and then finds nothing left to do,
 * and a run that dies mid-way leaves whole batches behind it that the next run skips.
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger(SettlementService.name);
  /** Accounts per transaction. */
  batchSize = 500;

  constructor(
    private readonly repository: SettlementRepository,
    private readonly ledger: LedgerService,
    private readonly settings: SettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async settleDue(now: Date = this.clock.now()): Promise<SettlementSummary> {
    const untilMs = hourStartOf(now).getTime();
    const { billingGranularitySeconds, timeZone } = await this.settings.get();
    const summary = { hours: 0, instanceHours: 0, charges: 0, charged: 0, userIds: new Set<string>() };

    for (
      let hourMs = await this.repository.nextHourToSettle(untilMs);
      hourMs !== null;
      hourMs = await this.repository.nextHourToSettle(untilMs)
    ) {
      summary.hours += 1;
      let afterUserId = '';
      for (;;) {
        const userIds = await this.repository.usersDueAt(hourMs, afterUserId, this.batchSize);
        if (userIds.length === 0) break;
        afterUserId = userIds[userIds.length - 1];
        const batch = await this.settleBatch(hourMs, userIds, billingGranularitySeconds, timeZone);
        summary.instanceHours += batch.instanceHours;
        summary.charges += batch.charges.size;
        for (const [userId, amount] of batch.charges) {
          summary.charged += amount;
          summary.userIds.add(userId);
        }
      }
    }
    if (summary.hours > 0) {
      this.logger.log(
        `settled ${summary.instanceHours} instance-hours over ${summary.hours} hours: ${summary.charges} charges, ${formatCredits(summary.charged)} credits`,
      );
    }
    return {
      settledUntil: new Date(untilMs).toISOString(),
      hours: summary.hours,
      instanceHours: summary.instanceHours,
      charges: summary.charges,
      chargedCredits: formatCredits(summary.charged),
      userIds: [...summary.userIds],
    };
  }

  private settleBatch(hourMs: number, userIds: string[], granularitySeconds: number, timeZone: string) {
    return this.repository.transaction(async (manager) => {
      // Accounts first, in id order: every writer of these balances takes the same locks in the same order.
      const accounts = await this.ledger.lockAccounts(manager, userIds);
      const instances = await this.repository.lockDueInstances(manager, hourMs, userIds);
      if (instances.length === 0) return { instanceHours: 0, charges: new Map<string, number>() };
      const instanceIds = instances.map((instance) => instance.id);
      const segments = await this.repository.segmentsOverlapping(manager, instanceIds, hourMs, hourMs + HOUR_MS);
      const pricing = await this.repository.planPricing(manager, [...new Set(segments.map((s) => s.planId))]);
      const result = settleHour({
        hourStartMs: hourMs,
        timeZone,
        granularitySeconds,
        instances,
        segments,
        pricing,
        monthly: await this.repository.monthlyUsage(manager, instanceIds, monthKey(new Date(hourMs), timeZone)),
        daily: await this.repository.dailyUsage(manager, userIds, dayKey(new Date(hourMs), timeZone)),
      });
      await this.repository.insertUsage(manager, result.usage);
      await this.repository.saveMonthlyUsage(manager, result.monthly);
      await this.repository.saveDailyUsage(manager, result.daily);
      await this.ledger.postCharges(
        manager,
        [...result.chargesByUser].map(([userId, amount]) => ({
          userId,
          amount: -amount,
          idempotencyKey: hourlyChargeKey(userId, hourMs),
          note: `usage ${new Date(hourMs).toISOString().slice(0, 13)}:00Z`,
        })),
        accounts,
      );
      await this.repository.markSettled(manager, instanceIds, hourMs + HOUR_MS);
      return { instanceHours: instances.length, charges: result.chargesByUser };
    });
  }
}
