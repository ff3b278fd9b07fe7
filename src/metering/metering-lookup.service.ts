import { Injectable } from '@nestjs/common';
import type { Tx } from '../common/unit-of-work';
import { MeteredCounterRepository } from './metered-counter.repository';
import { toMeteredCounter, toResourceRule } from './metering-rows';
import type { MeteredCounter, ResourceRule } from './metering.types';
import { ResourceRuleRepository } from './resource-rule.repository';

/**
 * Rules and counters as the features above metering use them (settlement, usage reports, the wizard): domain
 * objects with their pricing attached (rating/), read in the caller's unit of work when given one. Each carries
 * when it was created and retired, since an hour is billed under what was in force during it.
 */
@Injectable()
export class MeteringLookupService {
  constructor(
    private readonly rules: ResourceRuleRepository,
    private readonly counters: MeteredCounterRepository,
  ) {}

  /**
   * Every rule of each plan, retired ones included (an hour settled after a rule was deleted still bills it up
   * to `retiredAt`), by key. Each plan asked for has an entry, empty when it has no rule.
   */
  async rulesOfPlans(planIds: number[], tx?: Tx): Promise<Map<number, ResourceRule[]>> {
    const byPlan = new Map<number, ResourceRule[]>(planIds.map((planId) => [planId, []]));
    for (const row of await this.rules.ofPlans([...new Set(planIds)], tx))
      byPlan.get(row.planId)?.push(toResourceRule(row));
    return byPlan;
  }

  /** A rule by id, retired or not, or null: what a usage row names. */
  async rule(id: number, tx?: Tx): Promise<ResourceRule | null> {
    const row = await this.rules.find(id, tx);
    return row ? toResourceRule(row) : null;
  }

  /** The live counter with this key, if it applies to the plan; null otherwise (unknown key, or not on the plan). */
  async counterForPlan(key: string, planId: number, tx?: Tx): Promise<MeteredCounter | null> {
    const [rows] = await this.counters.liveForPlan(planId, key, tx);
    return rows ? toMeteredCounter(rows) : null;
  }

  /** The live counters that apply to the plan, by key: what the wizard and the report list for it. */
  async countersForPlan(planId: number, tx?: Tx): Promise<MeteredCounter[]> {
    return (await this.counters.liveForPlan(planId, null, tx)).map(toMeteredCounter);
  }

  /** Counters by id, retired or not: what a batch of usage rows names. */
  async countersById(ids: number[], tx?: Tx): Promise<Map<number, MeteredCounter>> {
    const counters = new Map<number, MeteredCounter>();
    for (const id of new Set(ids)) {
      const rows = await this.counters.find(id, tx);
      if (rows) counters.set(id, toMeteredCounter(rows));
    }
    return counters;
  }

  /** A counter by id, retired or not, or null: what a usage row names. */
  async counter(id: number, tx?: Tx): Promise<MeteredCounter | null> {
    const rows = await this.counters.find(id, tx);
    return rows ? toMeteredCounter(rows) : null;
  }
}
