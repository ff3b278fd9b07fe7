import { Injectable, Logger } from '@nestjs/common';
import { LedgerService } from '../../accounts/ledger.service';
import { PlanPricingService } from '../../catalog/plan-pricing.service';
import { Isolation, type Tx, UnitOfWork } from '../../common/unit-of-work';
import { InstanceBillingService } from '../../instances/instance-billing.service';
import type { InstanceEventDto } from '../../instances/instance.dto';
import type { InstanceEntity } from '../../instances/instance.entity';
import { InstanceService } from '../../instances/instance.service';
import { SettingsService } from '../../settings/settings.service';
import type { SettingsEntity } from '../../settings/settings.entity';
import { hourStartOf, monthWindow } from '../rating';
import { BillingRunService } from '../run/billing-run.service';
import { addToRollups, toRatingSegment } from '../settlement/hour-settlement';
import { SettlementRepository } from '../settlement/settlement.repository';
import type { DailyUsageEntity, MonthlyUsageEntity, UsageEntity } from '../settlement/usage.entity';
import { rerateAdjustmentKey } from './rerate-adjustment-key';
import { RuleRerateService } from './rule-rerate.service';
import { HourRevision, rerateHours } from './rerate-hours';

const monthKeyOf = (row: { instanceId: string; planId: number; monthKey: string }) =>
  `${row.instanceId}|${row.planId}|${row.monthKey}`;
const dayKeyOf = (row: { userId: string; dayKey: string }) => `${row.userId}|${row.dayKey}`;

/**
 * Host events as they really arrive: late. An event dated in an hour already settled (within the late event
 * window) is applied, and in the same transaction every settled hour from it on is re-rated: the old usage
 * rows stay, marked superseded, the new ones are the next revision, the rollups move by the difference and
 * the difference is posted as its own ledger adjustment. A crash anywhere leaves all of it or none.
 */
@Injectable()
export class LateEventService {
  private readonly logger = new Logger(LateEventService.name);

  constructor(
    private readonly instances: InstanceService,
    private readonly ledger: LedgerService,
    private readonly settings: SettingsService,
    private readonly usage: SettlementRepository,
    private readonly instanceBilling: InstanceBillingService,
    private readonly pricing: PlanPricingService,
    private readonly billing: BillingRunService,
    private readonly unitOfWork: UnitOfWork,
    private readonly ruleRerate: RuleRerateService,
  ) {}

  async applyHostEvent(id: string, dto: InstanceEventDto): Promise<InstanceEntity> {
    const settings = await this.settings.get();
    const atMs = await this.instances.reportedInstant(dto.at, settings);
    const { userId } = await this.instances.get(id);
    const outcome = await this.unitOfWork.run(
      async (tx) => {
        // The account before the instance: the order settlement locks them in.
        await this.ledger.lockAccounts(tx, [userId]);
        const { instance, applied } = await this.instances.applyEventIn(tx, id, dto, atMs);
        if (!applied || atMs >= instance.settledUntilMs) return { instance, adjusted: false };
        const fromHourMs = hourStartOf(new Date(atMs)).getTime();
        const revisions = await this.rerate(tx, instance, fromHourMs, settings, dto.type);
        const segments = await this.instanceBilling.segmentsOverlapping(
          tx,
          [instance.id],
          fromHourMs,
          instance.settledUntilMs,
        );
        const rulesAdjusted = await this.ruleRerate.rerate(
          tx,
          instance,
          segments,
          { fromHourMs, untilMs: instance.settledUntilMs, timeZone: settings.timeZone },
          dto.type,
        );
        return { instance, adjusted: rulesAdjusted || revisions.some((revision) => revision.delta !== 0) };
      },
      { isolation: Isolation.LockedWrites },
    );
    if (outcome.adjusted) await this.evaluateThresholds(userId);
    return outcome.instance;
  }

  private async rerate(
    tx: Tx,
    instance: InstanceEntity,
    fromHourMs: number,
    settings: SettingsEntity,
    cause: string,
  ): Promise<HourRevision<UsageEntity>[]> {
    const untilMs = instance.settledUntilMs;
    const segments = await this.instanceBilling.segmentsOverlapping(tx, [instance.id], fromHourMs, untilMs);
    const monthStart = hourStartOf(monthWindow(new Date(fromHourMs), settings.timeZone).start).getTime();
    const revisions = rerateHours({
      segments: segments.map(toRatingSegment),
      pricing: await this.pricing.pricesOf([...new Set(segments.map((s) => s.planId))], tx),
      timeZone: settings.timeZone,
      granularitySeconds: settings.billingGranularitySeconds,
      fromHourMs,
      untilMs,
      rows: await this.usage.currentUsage(tx, instance.id, Math.min(monthStart, fromHourMs), untilMs),
    });
    if (revisions.length === 0) return revisions;

    const superseded = revisions.flatMap((r) => r.superseded);
    const added = revisions.flatMap((r) =>
      r.rows.map((row) => ({ ...row, instanceId: instance.id, userId: instance.userId, revision: r.revision })),
    );
    const { monthly, daily } = await this.rollupsMoved(tx, instance, revisions, [...superseded, ...added]);
    await this.usage.supersede(
      tx,
      superseded.map((row) => row.id),
    );
    await this.usage.insertUsage(
      tx,
      added.map((row) => ({ ...row, superseded: false })),
    );
    await this.usage.saveMonthlyUsage(tx, monthly);
    await this.usage.saveDailyUsage(tx, daily);
    for (const revision of revisions.filter((r) => r.delta !== 0)) {
      const hour = new Date(revision.hourStartMs).toISOString().slice(0, 13);
      await this.ledger.post(tx, {
        userId: instance.userId,
        kind: 'adjustment',
        amount: -revision.delta,
        idempotencyKey: rerateAdjustmentKey(instance.id, revision.hourStartMs, revision.revision),
        note: `usage ${hour}:00Z of ${instance.id} re-rated after a late "${cause}" event`,
        hourStartMs: revision.hourStartMs,
        instanceId: instance.id,
      });
    }
    return revisions;
  }

  /** The month and day rollups the revisions touch, with the superseded rows taken out and the new ones added. */
  private async rollupsMoved(
    tx: Tx,
    instance: InstanceEntity,
    revisions: HourRevision<UsageEntity>[],
    rows: { instanceId: string; userId: string; planId: number; monthKey: string; dayKey: string | null }[],
  ): Promise<{ monthly: MonthlyUsageEntity[]; daily: DailyUsageEntity[] }> {
    const monthKeys = [...new Set(rows.map((row) => row.monthKey))];
    const dayKeys = [...new Set(rows.map((row) => row.dayKey).filter((day): day is string => day !== null))];
    const months = new Map(
      (await this.usage.monthlyUsage([instance.id], monthKeys, tx)).map((row) => [monthKeyOf(row), row]),
    );
    const days = new Map(
      (await this.usage.dailyUsage(tx, [instance.userId], dayKeys)).map((row) => [dayKeyOf(row), row]),
    );
    for (const revision of revisions) {
      const takenOut = new Set<string>();
      for (const row of revision.superseded) {
        // Rows settled before days were recorded on them are filed under the day their hour started in.
        addToRollups(months, days, instance, { ...row, dayKey: row.dayKey ?? '' }, takenOut, -1);
      }
      const added = new Set<string>();
      for (const row of revision.rows) addToRollups(months, days, instance, row, added);
    }
    return { monthly: [...months.values()], daily: [...days.values()].filter((day) => day.dayKey !== '') };
  }

  /** Like after any charge: warnings, suspension or resumption follow; a failure here must not undo the event. */
  private async evaluateThresholds(userId: string): Promise<void> {
    try {
      await this.billing.afterBalanceChange(userId);
    } catch (error) {
      this.logger.error(`thresholds for ${userId} after a re-rating failed: ${(error as Error).message}`);
    }
  }
}
