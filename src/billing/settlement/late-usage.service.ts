import { Injectable, Logger } from '@nestjs/common';
import { LedgerService } from '../../accounts/ledger.service';
import { groupBy } from '../../common/group-by';
import { toSafeNumber } from '../../common/money';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import { MeteredUsageBillingService } from '../../metering/metered-usage-billing.service';
import { MeteringLookupService } from '../../metering/metering-lookup.service';
import { SettingsService } from '../../settings/settings.service';
import { monthKey, rateCounterUsage } from '../rating';
import { lateUsageKey } from './late-usage-key';
import { addCounterUsage, toBilledReport } from './metered-hour-settlement';
import { MeteredDays, MeteredRollups } from './metered-rollups';
import { SettlementRepository } from './settlement.repository';

/** Late reports read per page to find the accounts that have some. */
const PAGE = 500;

export interface LateUsageSummary {
  reports: number;
  userIds: string[];
  /** Accounts whose late reports could not be billed in this run; they stay unbilled and are retried by the next. */
  failedUserIds: string[];
}

/**
 * Bills the usage reports that arrived after their hour was settled (README, "Late usage"): each against its
 * counter's running total for its month, as its own ledger adjustment dated in its hour (one per report, under a
 * unique key), with the month's and day's rollups moved. The month's charges still add up to its whole usage priced
 * at once; only which hour shows the dearer units can differ from an on-time report's. Per account, one unit of
 * work behind the account's lock, which settlement takes too, so a report is billed once however many runs race.
 */
@Injectable()
export class LateUsageService {
  private readonly logger = new Logger(LateUsageService.name);

  constructor(
    private readonly usageBilling: MeteredUsageBillingService,
    private readonly metering: MeteringLookupService,
    private readonly repository: SettlementRepository,
    private readonly ledger: LedgerService,
    private readonly settings: SettingsService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async billLate(nowMs: number): Promise<LateUsageSummary> {
    const { timeZone } = await this.settings.get();
    const summary: LateUsageSummary = { reports: 0, userIds: [], failedUserIds: [] };
    const visited = new Set<string>();
    for (let afterId = '0'; ;) {
      const page = await this.usageBilling.lateUnbilled(afterId, PAGE);
      if (page.length === 0) break;
      afterId = page[page.length - 1].id;
      for (const userId of new Set(page.map((row) => row.userId))) {
        if (visited.has(userId)) continue;
        visited.add(userId);
        try {
          const billed = await this.unitOfWork.run((tx) => this.billUser(tx, userId, timeZone, nowMs), {
            isolation: Isolation.LockedWrites,
          });
          summary.reports += billed;
          if (billed > 0) summary.userIds.push(userId);
        } catch (error) {
          this.logger.error(`late usage of ${userId} could not be billed: ${(error as Error).message}`);
          summary.failedUserIds.push(userId);
        }
      }
    }
    return summary;
  }

  private async billUser(tx: Tx, userId: string, timeZone: string, nowMs: number): Promise<number> {
    // The account first, as settlement locks it: the reports read after the wait are the ones still unbilled.
    await this.ledger.lockAccounts(tx, [userId]);
    const reports = await this.usageBilling.lateUnbilledOfUser(tx, userId);
    if (reports.length === 0) return 0;
    const counters = await this.metering.countersById(
      reports.map((row) => row.counterId),
      tx,
    );
    const months = [...new Set(reports.map((row) => monthKey(new Date(row.atMs), timeZone)))];
    const rollups = new MeteredRollups(
      await this.repository.meteredMonthly([...new Set(reports.map((row) => row.instanceId))], months, tx),
    );
    const days = new MeteredDays();
    const byId = new Map(reports.map((row) => [row.id, row]));
    const rated = [...groupBy(reports, (row) => row.instanceId)].flatMap(([instanceId, rows]) => {
      const instance = { id: instanceId, userId };
      const ratedRows = rateCounterUsage(
        rows.map((row) => ({ id: row.id, counterId: row.counterId, atMs: row.atMs, quantity: BigInt(row.quantity) })),
        counters,
        timeZone,
        rollups.totalsOf(instanceId, 'counter'),
      );
      for (const row of ratedRows) addCounterUsage(rollups, days, instance, row);
      return ratedRows;
    });
    await this.usageBilling.markBilled(tx, rated.map(toBilledReport), nowMs);
    await this.repository.saveMeteredMonthly(tx, rollups.changed());
    const dayKeys = [...new Set(rated.map((row) => row.dayKey))];
    await this.repository.saveDailyUsage(tx, days.addedTo(await this.repository.dailyUsage(tx, [userId], dayKeys)));
    for (const row of rated.filter((rated) => rated.charge !== 0n)) {
      const report = byId.get(row.id);
      if (!report) continue;
      const counter = counters.get(row.counterId);
      await this.ledger.post(tx, {
        userId,
        kind: 'adjustment',
        amount: -toSafeNumber(row.charge),
        idempotencyKey: lateUsageKey(row.id),
        note: `late usage report "${report.reportId}" of ${report.instanceId} (${counter?.key ?? row.counterId})`,
        hourStartMs: report.hourStartMs,
        instanceId: report.instanceId,
      });
    }
    return rated.length;
  }
}
