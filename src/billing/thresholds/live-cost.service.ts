import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/unit-of-work';
import type { InstanceEntity } from '../../instances/instance.entity';
import { MeteredUsageBillingService } from '../../metering/metered-usage-billing.service';
import { MeteringLookupService } from '../../metering/metering-lookup.service';
import { SettlementService } from '../settlement/settlement.service';
import { capMonthKey, LiveCosts } from './burn-rate';
import { counterEstimatePerHour, counterEstimateWindow, fixedRulesPerHour } from './metered-burn';

/**
 * What a user's live instances cost from now on: their plans within the caps, their fixed postpaid rules, and the
 * counters' last-24-hours estimate. The widget shows it and the threshold engine projects the runway from it (in
 * its unit of work, `tx`), so the two never disagree.
 */
@Injectable()
export class LiveCostService {
  constructor(
    private readonly settlement: SettlementService,
    private readonly metering: MeteringLookupService,
    private readonly usage: MeteredUsageBillingService,
  ) {}

  async of(live: InstanceEntity[], now: Date, timeZone: string, tx?: Tx): Promise<LiveCosts> {
    const running = live.filter((instance) => instance.state !== 'terminated');
    if (running.length === 0) return { instances: [], rulesPerHour: 0, countersPerHour: 0, counterReports: 0 };
    const window = counterEstimateWindow(now);
    const instances = await this.settlement.liveCosts(running, capMonthKey(now, timeZone), tx);
    const rules = await this.metering.rulesOfPlans([...new Set(running.map((instance) => instance.planId))], tx);
    const counters = await this.usage.billedBetween(
      running.map((instance) => instance.id),
      window.fromMs,
      window.untilMs,
      tx,
    );
    return {
      instances,
      rulesPerHour: fixedRulesPerHour(running, rules, now),
      countersPerHour: counterEstimatePerHour(counters.chargeMicros),
      counterReports: counters.reports,
    };
  }
}
