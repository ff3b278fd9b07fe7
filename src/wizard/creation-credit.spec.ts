import type { InstanceCost, LiveCosts } from '../billing/thresholds/burn-rate';
import type { PlanPricing } from '../billing/rating';
import { plan } from '../billing/rating/pricing.fixture';
import { decideInTurn, liveInstancesCredit, newInstanceCredit } from './creation-credit';
import { rule } from './metering.fixture';
import { NO_RULE_COSTS, ruleCosts } from './rule-costs';

const credits = (amount: number) => Math.round(amount * 1_000_000);
const live = (instances: InstanceCost[], metered: Partial<LiveCosts> = {}): LiveCosts => ({
  instances,
  rulesPerHour: 0,
  countersPerHour: 0,
  counterReports: 0,
  ...metered,
});

describe('the first hours of a new instance', () => {
  it('costs an hourly plan its price times the hours', () => {
    expect(newInstanceCredit(plan({ hourlyPrice: credits(1.5) }), NO_RULE_COSTS, 1)).toBe(1_500_000n);
    expect(newInstanceCredit(plan({ hourlyPrice: credits(1.5) }), NO_RULE_COSTS, 24)).toBe(36_000_000n);
    expect(newInstanceCredit(plan({ hourlyPrice: credits(1.5) }), NO_RULE_COSTS, 0)).toBe(0n);
  });

  it('costs no more than the monthly cap of a capped plan', () => {
    const capped = plan({ hourlyPrice: credits(10), monthlyPrice: credits(100) });
    expect(newInstanceCredit(capped, NO_RULE_COSTS, 5)).toBe(50_000_000n);
    expect(newInstanceCredit(capped, NO_RULE_COSTS, 48)).toBe(100_000_000n);
  });

  it('costs a monthly-only plan its hourly share of a 730-hour month, as the estimate does', () => {
    // 73 credits a month: 0.1 an hour; not the rest of the month it pays up front at its first settled hour.
    const monthly = plan({ monthlyPrice: credits(73) });
    expect(newInstanceCredit(monthly, NO_RULE_COSTS, 1)).toBe(100_000n);
    expect(newInstanceCredit(monthly, NO_RULE_COSTS, 10)).toBe(1_000_000n);
  });

  it('adds the plan’s fixed rules that bill while running, uncapped', () => {
    // An address at 0.72 a month of 30 days: 0.001 an hour.
    const rules = ruleCosts([rule({ price: '0.72', periodSeconds: 30 * 86_400 })]);
    const capped = plan({ hourlyPrice: credits(10), monthlyPrice: credits(100) });
    expect(newInstanceCredit(capped, rules, 20)).toBe(100_000_000n + 20_000n);
  });
});

describe('what the user’s other live instances burn over the hours', () => {
  const running = (hourly: number, charged = 0, monthly: number | null = null): InstanceCost => ({
    plan: plan({ hourlyPrice: credits(hourly), monthlyPrice: monthly === null ? null : credits(monthly) }),
    state: 'running',
    chargedThisMonth: credits(charged),
  });

  it('counts each running instance at its rate, with rules and the counters’ estimate', () => {
    expect(liveInstancesCredit(live([running(1.5), running(2)]), 2)).toBe(7_000_000n);
    expect(liveInstancesCredit(live([running(1)], { rulesPerHour: 250_000, countersPerHour: 50_000 }), 3)).toBe(
      3_900_000n,
    );
    expect(liveInstancesCredit(live([running(1.5)]), 0)).toBe(0n);
  });

  it('counts a capped instance only up to what is left of its cap this month', () => {
    expect(liveInstancesCredit(live([running(10, 95, 100)]), 2)).toBe(5_000_000n);
    expect(liveInstancesCredit(live([running(10, 100, 100)]), 2)).toBe(0n);
  });

  it('counts a stopped or suspended instance only when its plan bills that state', () => {
    const stopped = (prices: Partial<PlanPricing>, state: InstanceCost['state']): InstanceCost => ({
      plan: plan({ hourlyPrice: credits(2), ...prices }),
      state,
      chargedThisMonth: 0,
    });
    expect(liveInstancesCredit(live([stopped({ suspendedHourlyPrice: null }, 'suspended')]), 1)).toBe(0n);
    expect(liveInstancesCredit(live([stopped({ suspendedHourlyPrice: credits(0.25) }, 'suspended')]), 1)).toBe(
      250_000n,
    );
    expect(liveInstancesCredit(live([stopped({ stoppedHourlyPrice: 0 }, 'stopped')]), 1)).toBe(0n);
    // A plan without a stopped price bills a stopped instance as a running one.
    expect(liveInstancesCredit(live([stopped({}, 'stopped')]), 1)).toBe(2_000_000n);
  });
});

describe('deciding one user’s creations in turn', () => {
  // 5 credits, plans at 1.5 an hour, one hour: 1.5, 3 and 4.5 pass; the fourth needs 6.
  const refuseAbove = (balance: bigint) => (needed: bigint) => (needed > balance ? needed : null);

  it('counts each admitted creation against the ones after it', () => {
    const costs = Array(6).fill(1_500_000n);
    expect(decideInTurn(0n, costs, refuseAbove(5_000_000n))).toEqual([
      null,
      null,
      null,
      6_000_000n,
      6_000_000n,
      6_000_000n,
    ]);
  });

  it('starts from what is committed already, and does not count a refused one', () => {
    expect(decideInTurn(2_000_000n, [4_000_000n, 1_000_000n, 2_500_000n, 2_000_000n], refuseAbove(5_000_000n))).toEqual(
      [6_000_000n, null, 5_500_000n, null],
    );
  });
});
