import { HOUR_MS } from '../billing/rating';
import type { LiveCosts } from '../billing/thresholds/burn-rate';
import { runwayOf } from '../billing/thresholds/runway-projection';
import { budgetUsedUp, type BudgetMonth, localDate } from './budget-rules';

export interface BudgetForecast {
  /** When the month's spend is projected to reach the budget. */
  atMs: number;
  /** That instant's local date in the billing zone, 'YYYY-MM-DD'. */
  date: string;
}

export interface BudgetForecastInput {
  /** Micro-credits spent in the month's settled hours. */
  spend: number;
  /** Micro-credits. */
  budget: number;
  now: Date;
  timeZone: string;
  month: BudgetMonth;
  /** What the user's live instances cost from now on (LiveCostService): caps and metered rules already in it. */
  costs: LiveCosts;
}

/**
 * When the spend reaches the budget at the current burn rate, if that is before the month ends. It is the runway
 * projection with the budget left as the "balance" and 0 as the threshold, so it follows monthly caps exactly as
 * the balance's runway does (a capped instance stops adding once its cap is reached). Null when the budget is
 * already used up, nothing burns, or the month ends first.
 */
export function budgetForecast(input: BudgetForecastInput): BudgetForecast | null {
  if (budgetUsedUp(input.spend, input.budget)) return null;
  const runway = runwayOf(input.costs, {
    balance: input.budget - Math.max(0, input.spend),
    suspensionThreshold: 0,
    now: input.now,
    timeZone: input.timeZone,
  });
  if (runway.hours === null) return null;
  const atMs = input.now.getTime() + Math.floor(runway.hours * HOUR_MS);
  if (atMs >= input.month.endMs) return null;
  return { atMs, date: localDate(atMs, input.timeZone) };
}
