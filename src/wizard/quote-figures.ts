import { estimateCosts, isMonthlyOnly, PlanPricing, upFrontMonthlyCharge } from '../billing/rating';
import type { PlanEntity } from '../catalog/plan.entity';

/** What the wizard's preview shows, in micro-credits. */
export interface QuoteFigures {
  hourly: number;
  daily: number;
  monthly: number;
  monthlyCap: number | null;
  /** What the first settled hour charges: an hour, or for a monthly-only plan the rest of the month up front. */
  firstHour: number;
  balanceAfterFirstHour: number;
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
 * The running costs of a plan with the monthly cap applied to every figure (an hour can cost
 * no more than the cap either), and the balance once the first hour is charged.
 */
export function quoteFigures(plan: PlanPricing, balance: number, now: Date, timeZone: string): QuoteFigures {
  const estimate = estimateCosts(plan);
  const capped = (amount: number) => (estimate.monthlyCap === null ? amount : Math.min(amount, estimate.monthlyCap));
  const hourly = capped(estimate.hourly);
  const firstHour = isMonthlyOnly(plan) ? upFrontMonthlyCharge(plan, now, timeZone) : hourly;
  return {
    hourly,
    daily: capped(estimate.daily),
    monthly: capped(estimate.monthly),
    monthlyCap: estimate.monthlyCap,
    firstHour,
    balanceAfterFirstHour: balance - firstHour,
  };
}
