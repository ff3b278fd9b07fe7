import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/tx';
import type { InstanceEntity, SegmentEntity } from '../../instances/instance.entity';
import { MeteredUsageBillingService } from '../../metering/metered-usage-billing.service';
import { MeteringLookupService } from '../../metering/metering-lookup.service';
import { type CalendarPiece, HOUR_MS } from '../rating';
import { toRatingSegment } from './hour-settlement';
import { settleMeteredHour } from './metered-hour-settlement';
import { type MeteredDays, MeteredRollups } from './metered-rollups';
import { SettlementRepository } from './settlement.repository';

export interface MeteredHourBatch {
  hourMs: number;
  timeZone: string;
  pieces: CalendarPiece[];
  /** The batch's instances, locked with their accounts. */
  instances: InstanceEntity[];
  segments: SegmentEntity[];
}

/**
 * The resource rules and metered counters of a settlement batch's hour, in the batch's unit of work: reads the
 * rules, running totals, prepaid periods and unbilled reports; writes the rule usage rows, the totals and the
 * reports' charges. What it adds to each user's hourly charge and day comes back for the ledger entry and the
 * daily rollup the batch writes anyway.
 */
@Injectable()
export class MeteredHourService {
  constructor(
    private readonly repository: SettlementRepository,
    private readonly metering: MeteringLookupService,
    private readonly usageBilling: MeteredUsageBillingService,
  ) {}

  async settle(
    tx: Tx,
    batch: MeteredHourBatch,
    nowMs: number,
  ): Promise<{ chargesByUser: Map<string, number>; days: MeteredDays }> {
    const instanceIds = batch.instances.map((instance) => instance.id);
    const planIds = [...new Set(batch.segments.map((segment) => segment.planId))];
    const rules = [...(await this.metering.rulesOfPlans(planIds, tx)).values()].flat();
    const usage = await this.usageBilling.unbilledBefore(tx, instanceIds, batch.hourMs + HOUR_MS);
    const monthKeys = [...new Set(batch.pieces.map((piece) => piece.monthKey))];
    const [rollups, prepaid, counters] = await Promise.all([
      rules.length + usage.length > 0 ? this.repository.meteredMonthly(instanceIds, monthKeys, tx) : [],
      rules.some((rule) => rule.kind === 'prepaid') ? this.repository.prepaidRows(tx, instanceIds, batch.hourMs) : [],
      this.metering.countersById(
        usage.map((row) => row.counterId),
        tx,
      ),
    ]);
    const segments = new Map<string, ReturnType<typeof toRatingSegment>[]>();
    for (const segment of batch.segments) {
      segments.set(segment.instanceId, [...(segments.get(segment.instanceId) ?? []), toRatingSegment(segment)]);
    }
    const totals = new MeteredRollups(rollups);
    const result = settleMeteredHour({
      hourStartMs: batch.hourMs,
      timeZone: batch.timeZone,
      pieces: batch.pieces,
      instances: batch.instances,
      segments,
      rules,
      rollups: totals,
      prepaid,
      usage,
      counters,
    });
    await this.repository.insertRuleUsage(tx, result.ruleRows);
    await this.repository.saveMeteredMonthly(tx, totals.changed());
    await this.usageBilling.markBilled(tx, result.billed, nowMs);
    return { chargesByUser: result.chargesByUser, days: result.days };
  }
}
