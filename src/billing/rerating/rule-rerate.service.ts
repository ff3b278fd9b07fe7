import { Injectable } from '@nestjs/common';
import { LedgerService } from '../../accounts/ledger.service';
import { toSafeNumber } from '../../common/money';
import type { Tx } from '../../common/tx';
import type { InstanceEntity, SegmentEntity } from '../../instances/instance.entity';
import { MeteringLookupService } from '../../metering/metering-lookup.service';
import { toRatingSegment } from '../settlement/hour-settlement';
import { toRuleUsageRow } from '../settlement/metered-hour-settlement';
import { MeteredDays, MeteredRollups } from '../settlement/metered-rollups';
import { PREPAID_LOOKBACK_MS, SettlementRepository } from '../settlement/settlement.repository';
import { rerateRuleHours } from './rerate-rule-hours';

/** The key of a re-rating's adjustment of an hour's rule charges (a new revision of the hour, a new key). */
export const rerateRulesKey = (instanceId: string, hourStartMs: number, revision: number) =>
  `rerate-rules:${instanceId}:${new Date(hourStartMs).toISOString()}:${revision}`;

/**
 * The resource rules' side of re-rating a late event (LateEventService does the instance's): in the event's unit of
 * work, the settled hours' rule rows from the event on are rated again; the rows that change are superseded by the
 * next revision, the month's and day's totals move by the difference, and the difference is posted as an adjustment.
 */
@Injectable()
export class RuleRerateService {
  constructor(
    private readonly metering: MeteringLookupService,
    private readonly repository: SettlementRepository,
    private readonly ledger: LedgerService,
  ) {}

  /** Whether any hour's rule charges changed. */
  async rerate(
    tx: Tx,
    instance: InstanceEntity,
    segments: SegmentEntity[],
    window: { fromHourMs: number; untilMs: number; timeZone: string },
    cause: string,
  ): Promise<boolean> {
    const planIds = [...new Set(segments.map((segment) => segment.planId))];
    const rules = [...(await this.metering.rulesOfPlans(planIds, tx)).values()].flat();
    const rows = await this.repository.currentRuleUsage(
      tx,
      instance.id,
      window.fromHourMs - PREPAID_LOOKBACK_MS,
      window.untilMs,
    );
    if (rules.length === 0 && rows.length === 0) return false;
    const revisions = rerateRuleHours({
      segments: segments.map(toRatingSegment),
      rules,
      timeZone: window.timeZone,
      anchorMs: instance.createdAtMs,
      fromHourMs: window.fromHourMs,
      untilMs: window.untilMs,
      rows,
    });
    if (revisions.length === 0) return false;

    const superseded = revisions.flatMap((revision) => revision.superseded);
    const added = revisions.flatMap((revision) =>
      revision.rows.map((row) => toRuleUsageRow(instance, row, revision.revision)),
    );
    const months = [...new Set([...superseded, ...added].map((row) => row.monthKey))];
    const rollups = new MeteredRollups(await this.repository.meteredMonthly([instance.id], months, tx));
    const days = new MeteredDays();
    for (const [rows, sign] of [
      [superseded, -1n],
      [added, 1n],
    ] as const) {
      for (const row of rows) {
        const quantity = BigInt(row.chargedQuantity ?? row.quantitySeconds) * sign;
        rollups.add(instance, 'rule', row.ruleId, row.monthKey, quantity, BigInt(row.charge) * sign);
        days.add(instance.userId, row.dayKey, 'rule', BigInt(row.charge) * sign);
      }
    }
    await this.repository.supersedeRuleUsage(
      tx,
      superseded.map((row) => row.id),
    );
    await this.repository.insertRuleUsage(tx, added);
    await this.repository.saveMeteredMonthly(tx, rollups.changed());
    const dayKeys = [...new Set([...superseded, ...added].map((row) => row.dayKey))];
    await this.repository.saveDailyUsage(
      tx,
      days.addedTo(await this.repository.dailyUsage(tx, [instance.userId], dayKeys)),
    );
    for (const revision of revisions.filter((r) => r.delta !== 0n)) {
      const hour = new Date(revision.hourStartMs).toISOString().slice(0, 13);
      await this.ledger.post(tx, {
        userId: instance.userId,
        kind: 'adjustment',
        amount: -toSafeNumber(revision.delta),
        idempotencyKey: rerateRulesKey(instance.id, revision.hourStartMs, revision.revision),
        note: `resource rules of ${instance.id} for ${hour}:00Z re-rated after a late "${cause}" event`,
        hourStartMs: revision.hourStartMs,
        instanceId: instance.id,
      });
    }
    return revisions.some((revision) => revision.delta !== 0n);
  }
}
