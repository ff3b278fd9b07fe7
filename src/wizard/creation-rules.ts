import { noCapacityMessage } from '../placement/placement.errors';

export const REFUSAL_CODES = [
  'plan-unavailable',
  'location-unavailable',
  'not-offered',
  'no-capacity',
  'negative-balance',
  'budget-exceeded',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  /** What the wizard shows the user. */
  reason: string;
}

/** What decides whether a user may create an instance of a plan in a location right now. */
export interface CreationFacts {
  planName: string;
  /** The plan and its group are both enabled. */
  planEnabled: boolean;
  locationName: string;
  locationEnabled: boolean;
  offered: boolean;
  /** Some enabled, online member of the location has room for the plan. */
  hasCapacity: boolean;
  /** Micro-credits. */
  balance: number;
  allowCreateOnNegativeBalance: boolean;
}

/**
 * The first rule that refuses, or null. Catalog rules come first (nothing the user can do about
 * them), then capacity, then the balance (which a top-up fixes), so the reason shown is the one
 * that still stands after the user acts on it.
 */
export function creationRefusal(facts: CreationFacts, formatBalance: (micros: number) => string): Refusal | null {
  const { planName: plan, locationName: location } = facts;
  if (!facts.planEnabled) return { code: 'plan-unavailable', reason: `${plan} is not available at the moment` };
  if (!facts.locationEnabled) {
    return { code: 'location-unavailable', reason: `${location} is not available at the moment` };
  }
  if (!facts.offered) return { code: 'not-offered', reason: `${plan} is not offered in ${location}` };
  if (!facts.hasCapacity) return { code: 'no-capacity', reason: noCapacityMessage(location, plan) };
  if (facts.balance < 0 && !facts.allowCreateOnNegativeBalance) {
    return {
      code: 'negative-balance',
      reason: `your balance is negative (${formatBalance(facts.balance)}); top up before creating an instance`,
    };
  }
  return null;
}

/** 402 when money would fix it; 409 when the catalog or the fleet stands in the way. */
export function refusalStatus(code: RefusalCode): 402 | 409 {
  return code === 'negative-balance' ? 402 : 409;
}

/** The user's own budget (action block-new, used up) refuses last: BudgetService.creationBlock says why. */
export const budgetRefusal = (reason: string | null): Refusal | null =>
  reason === null ? null : { code: 'budget-exceeded', reason };
