import type { InstanceEntity } from '../../instances/instance.entity';
import { assertMicros, BillableState, hasMonthlyCap, HOUR_MS, hourlyRateFor, monthKey, PlanPricing } from '../rating';
import type { MonthlyUsageEntity } from '../settlement/usage.entity';

/** What one live instance costs from now on: its plan, its current state and what its plan's cap has counted. */
export interface InstanceCost {
  plan: PlanPricing;
  state: BillableState;
  /** Micro-credits charged to this instance on this plan in the current cap month (settled hours). */
  chargedThisMonth: number;
}

/** An instance's hourly rate in its state, and for a capped plan the cap and what is left of it this month. */
export interface CostProfile {
  rate: number;
  /** The monthly price of a plan with both prices; null when its hours are not capped. */
  cap: number | null;
  capLeft: number | null;
}

export function costProfile(cost: InstanceCost): CostProfile {
  const rate = hourlyRateFor(cost.plan, cost.state);
  if (!hasMonthlyCap(cost.plan)) return { rate, cap: null, capLeft: null };
  const cap = assertMicros(cost.plan.monthlyPrice, `plan ${cost.plan.planId} monthly price`);
  const charged = assertMicros(cost.chargedThisMonth, `charged this month on plan ${cost.plan.planId}`);
  return { rate, cap, capLeft: Math.max(0, cap - charged) };
}

/**
 * The month the cap of the hour in progress counts against. Settlement files an hour under the month of its
 * start, so right after a month boundary that falls inside an hour (a zone offset of :30) it is still the old one.
 */
export function capMonthKey(now: Date, timeZone: string): string {
  return monthKey(new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS), timeZone);
}

/**
 * Pairs each live instance with its plan's prices and this cap month's rollup row (`monthly` holds the rows of
 * capMonthKey). Instances whose plan is missing from `pricing` cost nothing here, as settlement would refuse them.
 */
export function instanceCosts(
  live: InstanceEntity[],
  pricing: ReadonlyMap<number, PlanPricing>,
  monthly: MonthlyUsageEntity[],
): InstanceCost[] {
  const charged = new Map(monthly.map((row) => [`${row.instanceId}|${row.planId}`, row.charge]));
  const costs: InstanceCost[] = [];
  for (const instance of live) {
    const plan = pricing.get(instance.planId);
    if (!plan || instance.state === 'terminated') continue;
    costs.push({
      plan,
      state: instance.state,
      chargedThisMonth: charged.get(`${instance.id}|${instance.planId}`) ?? 0,
    });
  }
  return costs;
}

/**
 * What a user's live instances cost from now on: what the widget shows and the threshold engine projects the
 * runway from (LiveCostService reads it), so both give the same figures.
 */
export interface LiveCosts {
  instances: InstanceCost[];
  /** Micro-credits an hour: the fixed-quantity postpaid resource rules billing in the instances' states. */
  rulesPerHour: number;
  /**
   * Micro-credits an hour: the counters' future use is unknown, so it is estimated as their charges in the last
   * COUNTER_ESTIMATE_HOURS settled hours, averaged.
   */
  countersPerHour: number;
  /** How many usage reports that estimate rests on (0: no counter was used lately). */
  counterReports: number;
}

/** Micro-credits an hour that no monthly cap limits: rules and counters. */
export const meteredPerHour = (costs: LiveCosts): number => costs.rulesPerHour + costs.countersPerHour;

/**
 * Micro-credits the next hour of the instances really costs: each instance's rate in its state, but no more than
 * what is left of its plan's monthly cap (0 once capped). Monthly-only plans are paid up front, so their hours cost 0.
 */
export function instancesPerHour(costs: InstanceCost[]): number {
  let total = 0;
  for (const cost of costs) {
    const { rate, capLeft } = costProfile(cost);
    total += capLeft === null ? rate : Math.min(rate, capLeft);
  }
  return total;
}

/** Micro-credits the next hour costs: the instances within their caps, their rules, and the counters' estimate. */
export function burnRatePerHour(costs: LiveCosts): number {
  return instancesPerHour(costs.instances) + meteredPerHour(costs);
}
