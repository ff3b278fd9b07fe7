import { Inject, Injectable, Logger } from '@nestjs/common';
import { LedgerService } from '../../accounts/ledger.service';
import { CLOCK, TUNING } from '../../cloud-billing.constants';
import { type CloudBillingTuning, tuningValue } from '../../cloud-billing.options';
import { PlanPricingService } from '../../catalog/plan-pricing.service';
import type { Clock } from '../../common/clock';
import { formatCredits } from '../../common/money';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import { InstanceBillingService } from '../../instances/instance-billing.service';
import type { InstanceEntity } from '../../instances/instance.entity';
import { SettingsService } from '../../settings/settings.service';
import { HOUR_MS, hourPieces, hourStartOf } from '../rating';
import { InstanceCost, instanceCosts } from '../thresholds/burn-rate';
import { settleHour } from './hour-settlement';
import { MeteredHourService } from './metered-hour.service';
import { hourlyChargeKey } from './hourly-charge-key';
import type { SettlementFailureEntity } from './settlement-failure.entity';
import type { DailyUsageEntity } from './usage.entity';
import { SettlementRepository } from './settlement.repository';

/** An account left unsettled by this run, and why; it is retried on the next. */
export interface SettlementFailure {
  userId: string;
  hour: string;
  error: string;
}

export interface SettlementSummary {
  /** Every complete hour before this instant is settled, except the failed accounts'. */
  settledUntil: string;
  hours: number;
  instanceHours: number;
  charges: number;
  chargedCredits: string;
  /** Users whose balance changed: thresholds are evaluated for them next. */
  userIds: string[];
  failures: SettlementFailure[];
}

/** Distinct due hours read per pass. */
const HOURS_PER_PASS = 1000;

interface BatchResult {
  instanceHours: number;
  charges: Map<string, number>;
}

/**
 * Settles every complete hour not yet settled, in passes over the hours instances are due at, oldest
 * first, in batches of accounts. Each batch is one transaction that locks its accounts and their due
 * instances, so a second replica running at the same moment waits and then finds nothing left to do,
 * and a run that dies mid-way leaves whole batches behind it that the next run skips. A batch that fails
 * is retried account by account; an account that still fails is recorded and skipped for the rest of
 * the run, so one account that cannot be priced never stops everyone else's billing.
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger(SettlementService.name);
  /** Accounts per transaction: the `billing.settlementBatchSize` option, default 500. */
  readonly batchSize: number;

  constructor(
    private readonly repository: SettlementRepository,
    private readonly instances: InstanceBillingService,
    private readonly pricing: PlanPricingService,
    private readonly ledger: LedgerService,
    private readonly settings: SettingsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly meteredHour: MeteredHourService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TUNING) options: CloudBillingTuning,
  ) {
    this.batchSize = tuningValue('billing.settlementBatchSize', options.billing?.settlementBatchSize, 500);
  }

  async settleDue(now: Date = this.clock.now()): Promise<SettlementSummary> {
    const untilMs = hourStartOf(now).getTime();
    const { billingGranularitySeconds, timeZone } = await this.settings.get();
    const run = {
      hours: new Set<number>(),
      instanceHours: 0,
      charges: 0,
      charged: 0,
      userIds: new Set<string>(),
      failed: new Map<string, SettlementFailure>(),
      // Accounts that failed before: their records go once a run gets through without them failing.
      knownFailures: new Set((await this.repository.failures()).map((failure) => failure.userId)),
    };
    const context = { granularitySeconds: billingGranularitySeconds, timeZone };

    for (;;) {
      const hours = await this.instances.dueHours(untilMs, [...run.failed.keys()], HOURS_PER_PASS);
      if (hours.length === 0) break;
      for (const hourMs of hours) {
        for (let afterUserId = ''; ;) {
          const userIds = await this.instances.usersDueAt(hourMs, afterUserId, this.batchSize, [...run.failed.keys()]);
          if (userIds.length === 0) break;
          afterUserId = userIds[userIds.length - 1];
          const batch = await this.settleIsolated(hourMs, userIds, context, run.failed);
          if (batch.instanceHours > 0) run.hours.add(hourMs);
          run.instanceHours += batch.instanceHours;
          run.charges += batch.charges.size;
          for (const [userId, amount] of batch.charges) {
            run.charged += amount;
            run.userIds.add(userId);
          }
        }
      }
    }
    // An account that failed before and not in this run was settled, or has nothing due any more.
    const recovered = [...run.knownFailures].filter((userId) => !run.failed.has(userId));
    if (recovered.length > 0) {
      await this.unitOfWork.run((tx) => this.repository.clearFailures(tx, recovered), {
        isolation: Isolation.LockedWrites,
      });
    }
    if (run.hours.size > 0 || run.failed.size > 0) {
      this.logger.log(
        `settled ${run.instanceHours} instance-hours over ${run.hours.size} hours: ${run.charges} charges, ` +
          `${formatCredits(run.charged)} credits; ${run.failed.size} accounts failed`,
      );
    }
    return {
      settledUntil: new Date(untilMs).toISOString(),
      hours: run.hours.size,
      instanceHours: run.instanceHours,
      charges: run.charges,
      chargedCredits: formatCredits(run.charged),
      userIds: [...run.userIds],
      failures: [...run.failed.values()],
    };
  }

  /** Accounts left unsettled by earlier runs, retried by every run until their hour settles. */
  failures(): Promise<SettlementFailureEntity[]> {
    return this.repository.failures();
  }

  /** The batch, or when it fails each of its accounts alone; an account that fails alone is recorded and skipped. */
  private async settleIsolated(
    hourMs: number,
    userIds: string[],
    context: BatchContext,
    failed: Map<string, SettlementFailure>,
  ): Promise<BatchResult> {
    try {
      return await this.settleBatch(hourMs, userIds, context);
    } catch (error) {
      if (userIds.length === 1) {
        await this.recordFailure(userIds[0], hourMs, error, failed);
        return { instanceHours: 0, charges: new Map() };
      }
    }
    const result: BatchResult = { instanceHours: 0, charges: new Map() };
    for (const userId of userIds) {
      const alone = await this.settleIsolated(hourMs, [userId], context, failed);
      result.instanceHours += alone.instanceHours;
      for (const [id, amount] of alone.charges) result.charges.set(id, amount);
    }
    return result;
  }

  private async recordFailure(
    userId: string,
    hourMs: number,
    error: unknown,
    failed: Map<string, SettlementFailure>,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(`could not settle ${userId} for ${new Date(hourMs).toISOString()}: ${message}`);
    // A unit of its own: the batch's was rolled back.
    const nowMs = this.clock.now().getTime();
    await this.unitOfWork.run((tx) => this.repository.recordFailure(tx, userId, hourMs, message, nowMs), {
      isolation: Isolation.LockedWrites,
    });
    failed.set(userId, { userId, hour: new Date(hourMs).toISOString(), error: message });
  }

  private settleBatch(hourMs: number, userIds: string[], context: BatchContext): Promise<BatchResult> {
    // Locked writes: a second replica settling at the same moment waits for these locks, then finds nothing due.
    return this.unitOfWork.run(
      async (tx) => {
        // Accounts first, in id order: every writer of these balances takes the same locks in the same order.
        const accounts = await this.ledger.lockAccounts(tx, userIds);
        const instances = await this.instances.lockDueInstances(tx, hourMs, userIds);
        if (instances.length === 0) return { instanceHours: 0, charges: new Map<string, number>() };
        const instanceIds = instances.map((instance) => instance.id);
        const segments = await this.instances.segmentsOverlapping(tx, instanceIds, hourMs, hourMs + HOUR_MS);
        const pricing = await this.pricing.pricesOf([...new Set(segments.map((s) => s.planId))], tx);
        const pieces = hourPieces(hourMs, context.timeZone);
        const daily = await this.repository.dailyUsage(tx, userIds, [...new Set(pieces.map((p) => p.dayKey))]);
        const result = settleHour({
          hourStartMs: hourMs,
          timeZone: context.timeZone,
          granularitySeconds: context.granularitySeconds,
          instances,
          segments,
          pricing,
          pieces,
          monthly: await this.repository.monthlyUsage(instanceIds, [...new Set(pieces.map((p) => p.monthKey))], tx),
          daily,
        });
        const metered = await this.meteredHour.settle(
          tx,
          { hourMs, timeZone: context.timeZone, pieces, instances, segments },
          this.clock.now().getTime(),
        );
        const charges = addCharges(result.chargesByUser, metered.chargesByUser);
        await this.repository.insertUsage(tx, result.usage);
        await this.repository.saveMonthlyUsage(tx, result.monthly);
        // A report dated on a day the hour's pieces do not cover (none should be) still adds to its own day's row.
        const known = new Set(daily.map((row) => row.dayKey));
        const otherDays = metered.days.dayKeys().filter((dayKey) => !known.has(dayKey));
        const before = [
          ...daily,
          ...(otherDays.length ? await this.repository.dailyUsage(tx, userIds, otherDays) : []),
        ];
        await this.repository.saveDailyUsage(
          tx,
          withRows(result.daily, metered.days.addedTo(withRows(before, result.daily))),
        );
        await this.ledger.postCharges(
          tx,
          [...charges].map(([userId, amount]) => ({
            userId,
            amount: -amount,
            hourStartMs: hourMs,
            idempotencyKey: hourlyChargeKey(userId, hourMs),
            note: `usage ${new Date(hourMs).toISOString().slice(0, 13)}:00Z`,
          })),
          accounts,
        );
        await this.instances.markSettled(tx, instanceIds, hourMs + HOUR_MS);
        return { instanceHours: instances.length, charges };
      },
      { isolation: Isolation.LockedWrites },
    );
  }

  /**
   * What live instances cost from now on: their plans' prices and what the cap month (capMonthKey) counted. The
   * widget shows it; the threshold engine projects the runway from the same figures, in its unit of work (`tx`).
   */
  async liveCosts(live: InstanceEntity[], capMonth: string, tx?: Tx): Promise<InstanceCost[]> {
    if (live.length === 0) return [];
    const [pricing, monthly] = await Promise.all([
      this.pricing.pricesOf([...new Set(live.map((instance) => instance.planId))], tx),
      this.repository.monthlyUsage(
        live.map((instance) => instance.id),
        [capMonth],
        tx,
      ),
    ]);
    return instanceCosts(live, pricing, monthly);
  }

  /** What settled hours have charged this instance on this plan in the month: what its cap is measured against. */
  chargedThisMonth(instanceId: string, planId: number, monthKey: string): Promise<number> {
    return this.repository.chargedThisMonth(instanceId, planId, monthKey);
  }
}

interface BatchContext {
  granularitySeconds: number;
  timeZone: string;
}

/** Each user's instance charge plus what rules and counters add. */
function addCharges(instances: Map<string, number>, metered: Map<string, number>): Map<string, number> {
  const total = new Map(instances);
  for (const [userId, amount] of metered) total.set(userId, (total.get(userId) ?? 0) + amount);
  return total;
}

/** Daily rows keyed by user and day: `later` replaces `rows` where both hold a day. */
function withRows(rows: DailyUsageEntity[], later: DailyUsageEntity[]): DailyUsageEntity[] {
  const byDay = new Map(rows.map((row) => [`${row.userId}|${row.dayKey}`, row]));
  for (const row of later) byDay.set(`${row.userId}|${row.dayKey}`, row);
  return [...byDay.values()];
}
