import { formatCredits } from '../common/money';
import { noCapacityMessage } from '../placement/placement.errors';

export const REFUSAL_CODES = [
  'plan-unavailable',
  'location-unavailable',
  'not-offered',
  'no-capacity',
  'negative-balance',
  'budget-exceeded',
  'insufficient-credit',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  /** What the wizard shows the user. */
  reason: string;
  /** Micro-credits more the balance needs for creation to pass ('insufficient-credit'). */
  shortfall?: bigint;
}

/** The balance rule: what the account holds against what creating needs (the admin's `creationCreditHours`). */
export interface CreditFacts {
  /** Micro-credits. */
  balance: number;
  allowCreateOnNegativeBalance: boolean;
  /** The `creationCreditHours` setting: 0 keeps the rule "not below 0". */
  creditHours: number;
  /** Micro-credits creating needs: `creditHours` hours of the new instance and of the user's others (and pending). */
  creditNeeded: bigint;
}

/** What decides whether a user may create an instance of a plan in a location right now. */
export interface CreationFacts extends CreditFacts {
  planName: string;
  /** The plan and its group are both enabled. */
  planEnabled: boolean;
  locationName: string;
  locationEnabled: boolean;
  offered: boolean;
  /** Some enabled, online member of the location has room for the plan. */
  hasCapacity: boolean;
}

/** An amount in the user's display currency, e.g. "$3.20". */
export type FormatMoney = (micros: number | bigint) => string;

/**
 * The first rule that refuses, or null. Catalog rules come first (nothing the user can do about
 * them), then capacity, then the balance (which a top-up fixes), so the reason shown is the one
 * that still stands after the user acts on it.
 */
export function creationRefusal(facts: CreationFacts, format: FormatMoney): Refusal | null {
  const { planName: plan, locationName: location } = facts;
  if (!facts.planEnabled) return { code: 'plan-unavailable', reason: `${plan} is not available at the moment` };
  if (!facts.locationEnabled) {
    return { code: 'location-unavailable', reason: `${location} is not available at the moment` };
  }
  if (!facts.offered) return { code: 'not-offered', reason: `${plan} is not offered in ${location}` };
  if (!facts.hasCapacity) return { code: 'no-capacity', reason: noCapacityMessage(location, plan) };
  return creditRefusal(facts, format);
}

/**
 * The balance rule alone, which creation checks again under the account's lock. An admin who allows creating on a
 * negative balance asks for no credit at all, whatever `creditHours` says. Otherwise the balance must cover what
 * creating needs, and never be below 0 (a free plan on an empty account still needs a balance of 0).
 */
export function creditRefusal(facts: CreditFacts, format: FormatMoney): Refusal | null {
  if (facts.allowCreateOnNegativeBalance) return null;
  const balance = BigInt(facts.balance);
  if (facts.creditHours > 0 && facts.creditNeeded > 0n && balance < facts.creditNeeded) {
    const shortfall = facts.creditNeeded - balance;
    const hours = facts.creditHours === 1 ? '1 hour' : `${facts.creditHours} hours`;
    return {
      code: 'insufficient-credit',
      reason:
        `add ${format(shortfall)} (${credits(shortfall)}) more credit to create this instance: ` +
        `creating needs a balance of ${credits(facts.creditNeeded)}, ${hours} of it and of your other instances`,
      shortfall,
    };
  }
  if (balance < 0n) {
    return {
      code: 'negative-balance',
      reason: `your balance is negative (${format(facts.balance)}); top up before creating an instance`,
    };
  }
  return null;
}

const credits = (micros: bigint): string => {
  const amount = formatCredits(micros);
  return amount === '1' ? '1 credit' : `${amount} credits`;
};

/** 402 when money would fix it; 409 when the catalog or the fleet stands in the way. */
export function refusalStatus(code: RefusalCode): 402 | 409 {
  return code === 'negative-balance' || code === 'insufficient-credit' ? 402 : 409;
}

/** The user's own budget (action block-new, used up) refuses last: BudgetService.creationBlock says why. */
export const budgetRefusal = (reason: string | null): Refusal | null =>
  reason === null ? null : { code: 'budget-exceeded', reason };
