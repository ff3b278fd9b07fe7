import { estimateCosts, isMonthlyOnly, PlanPricing, upFrontMonthlyCharge } from '../billing/rating';
import type { PlanEntity } from '../catalog/plan.entity';
import type { RuleCosts } from './rule-costs';

/** What the wizard's preview shows, in micro-credits (bigint: the plan's rules add to the plan's price). */
export interface QuoteFigures {
  hourly: bigint;
  daily: bigint;
  monthly: bigint;
  monthlyCap: bigint | null;
  /** What the first settled hour charges: an hour, or for a monthly-only plan the rest of the month up front. */
  firstHour: bigint;
  balanceAfterFirstHour: bigint;
}

export function planPricing(plan: PlanEntity): PlanPricing {
  return {
    planId: plan.id,
    hourlyPrice: plan.hourlyPrice,
    monthlyPrice: plan.monthlyPrice,
    stoppedHourlyPrice: plan.stoppedHourlyPrice,
    suspendedHourlyPrice: plan.suspendedHourlyPrice,
  };
}

/**
 * The running costs of a plan with the monthly cap applied to every figure of the plan's own price (an hour can
 * cost no more than the cap either), its fixed resource rules on top (the cap is the instance's, not theirs), and
 * the balance once the first hour is charged.
 */
export function quoteFigures(
  plan: PlanPricing,
  rules: RuleCosts,
  balance: number,
  now: Date,
  timeZone: string,
): QuoteFigures {
  const estimate = estimateCosts(plan);
  const capped = (amount: number) =>
    BigInt(estimate.monthlyCap === null ? amount : Math.min(amount, estimate.monthlyCap));
  const hourly = capped(estimate.hourly);
  const firstHour =
    (isMonthlyOnly(plan) ? BigInt(upFrontMonthlyCharge(plan, now, timeZone)) : hourly) + rules.firstHour;
  return {
    hourly: hourly + rules.hourly,
    daily: capped(estimate.daily) + rules.daily,
    monthly: capped(estimate.monthly) + rules.monthly,
    monthlyCap: estimate.monthlyCap === null ? null : BigInt(estimate.monthlyCap),
    firstHour,
    balanceAfterFirstHour: BigInt(balance) - firstHour,
  };
}
