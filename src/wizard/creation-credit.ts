import { costProfile, LiveCosts, meteredPerHour } from '../billing/thresholds/burn-rate';
import { estimateCosts, PlanPricing } from '../billing/rating';
import type { RuleCosts } from './rule-costs';

/** The most hours of credit an admin may ask for before a creation (`creationCreditHours`). */
export const MAX_CREATION_CREDIT_HOURS = 720;

/**
 * Micro-credits the first `hours` hours of a new instance come to: the plan's running price as the quote estimates
 * it (a monthly-only plan at its hourly share of a 730-hour month, not the rest of the month it pays up front at
 * its first settled hour), no more than its monthly cap, and its fixed-quantity rules' running cost on top.
 */
export function newInstanceCredit(plan: PlanPricing, rules: RuleCosts, hours: number): bigint {
  const estimate = estimateCosts(plan);
  const planHours = BigInt(estimate.hourly) * BigInt(hours);
  const capped =
    estimate.monthlyCap === null || planHours < BigInt(estimate.monthlyCap) ? planHours : BigInt(estimate.monthlyCap);
  return capped + rules.hourly * BigInt(hours);
}

/**
 * Micro-credits the user's live instances burn over the next `hours` hours, from the figures the widget's burn rate
 * and runway use: each instance at its current state's rate (a stopped or suspended one counts only if its plan
 * bills that state), no more than what is left of its plan's cap this month, plus its rules and the counters'
 * recent average. A month turning within those hours is not foreseen: this is a floor to create against, not a
 * forecast.
 */
export function liveInstancesCredit(costs: LiveCosts, hours: number): bigint {
  let total = BigInt(meteredPerHour(costs)) * BigInt(hours);
  for (const cost of costs.instances) {
    const { rate, capLeft } = costProfile(cost);
    const spent = BigInt(rate) * BigInt(hours);
    total += capLeft === null || spent < BigInt(capLeft) ? spent : BigInt(capLeft);
  }
  return total;
}

/**
 * Decides one user's creations one after another, as separate requests would be: each is asked for what it needs
 * (what is `committed` already, what the ones admitted before it cost, and its own `costs`), and only an admitted
 * one adds its cost to what the next needs.
 */
export function decideInTurn<R>(
  committed: bigint,
  costs: readonly bigint[],
  refusalFor: (needed: bigint) => R | null,
): (R | null)[] {
  let before = committed;
  return costs.map((cost) => {
    const refusal = refusalFor(before + cost);
    if (refusal === null) before += cost;
    return refusal;
  });
}
