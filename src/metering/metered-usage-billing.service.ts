import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/tx';
import type { MeteredUsageEntity } from './metered-usage.entity';
import { type BilledReport, MeteredUsageRepository } from './metered-usage.repository';

export type { BilledReport };

/**
 * The host's usage reports as billing reads and marks them: settlement bills a report with its hour, the late sweep
 * bills one that arrived after its hour was settled. The calls that take a `tx` run in the caller's unit of work.
 */
@Injectable()
export class MeteredUsageBillingService {
  constructor(private readonly repository: MeteredUsageRepository) {}

  /** Reports of these (locked) instances not billed yet and not late, dated before `untilMs`. */
  unbilledBefore(tx: Tx, instanceIds: string[], untilMs: number): Promise<MeteredUsageEntity[]> {
    return this.repository.unbilledBefore(tx, instanceIds, untilMs);
  }

  /** The next page of late reports not billed yet, by id: which accounts the late sweep visits. */
  lateUnbilled(afterId: string, limit: number): Promise<MeteredUsageEntity[]> {
    return this.repository.lateUnbilled(afterId, limit);
  }

  /** Every report of the instance, by time: what its billing proof lists. */
  reportsOf(tx: Tx, instanceId: string): Promise<MeteredUsageEntity[]> {
    return this.repository.ofInstance(tx, instanceId);
  }

  /** A user's late reports not billed yet, read after the caller locked the account. */
  lateUnbilledOfUser(tx: Tx, userId: string): Promise<MeteredUsageEntity[]> {
    return this.repository.lateUnbilledOfUser(tx, userId);
  }

  /**
   * How many reports of these instances dated in hours [fromMs, untilMs) are billed, and what they were charged
   * (micro-credits): what the burn rate estimates counters' future use from.
   */
  billedBetween(
    instanceIds: string[],
    fromMs: number,
    untilMs: number,
    tx?: Tx,
  ): Promise<{ reports: number; chargeMicros: number }> {
    return this.repository.billedBetween(instanceIds, fromMs, untilMs, tx);
  }

  /**
   * Records the charges; refuses (so the unit rolls back) when any report was billed by another unit in the meantime,
   * which the callers' locks rule out: it is the last guard of "every report billed once".
   */
  async markBilled(tx: Tx, billed: BilledReport[], billedAtMs: number): Promise<void> {
    const written = await this.repository.markBilled(tx, billed, billedAtMs);
    if (written !== billed.length) {
      throw new Error(`${billed.length - written} of ${billed.length} usage reports were billed by another unit`);
    }
  }
}
