import { creditsToCurrencyScaled, CurrencyFormat, currencyToCredits, formatScaledDecimal } from '../common/money';
import type { FieldViolation } from '../common/validation';

/** A user's auto top-up rule, in micro-credits: exactly one of `amount` (fixed) and `target` (up to) is set. */
export interface AutoTopUpRule {
  thresholdMicros: number;
  amountMicros: number | null;
  targetMicros: number | null;
  monthlyLimitMicros: number;
}

/** What the trigger knows when it decides, read under the account's row lock. */
export interface TopUpSituation {
  balanceMicros: number;
  /** Credits asked for by this month's attempts that succeeded or are still in flight. */
  monthTotalMicros: number;
  /** An attempt is in flight: its retries continue, and no second one starts beside it. */
  inFlight: boolean;
}

export type TopUpDecision =
  | { kind: 'charge'; requestedMicros: number; currencyAmount: string; creditedMicros: number }
  | { kind: 'none'; reason: 'not-below-threshold' | 'in-flight' | 'monthly-limit' | 'too-small' };

/** The rule's own consistency; the DTO has already checked each amount's format and sign. */
export function ruleViolations(rule: AutoTopUpRule): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const { thresholdMicros, amountMicros, targetMicros, monthlyLimitMicros } = rule;
  if ((amountMicros === null) === (targetMicros === null)) {
    const message = 'send amount (a fixed top-up) or target (top up to it), exactly one of them';
    violations.push({ field: 'amount', rule: 'exactlyOneOfAmountAndTarget', message });
    violations.push({ field: 'target', rule: 'exactlyOneOfAmountAndTarget', message });
    return violations;
  }
  if (amountMicros !== null && amountMicros <= 0) {
    violations.push({ field: 'amount', rule: 'isPositive', message: 'must be greater than 0' });
  }
  if (targetMicros !== null && targetMicros <= thresholdMicros) {
    violations.push({ field: 'target', rule: 'aboveThreshold', message: 'must be greater than threshold' });
  }
  if (monthlyLimitMicros <= 0) {
    violations.push({ field: 'monthlyLimit', rule: 'isPositive', message: 'must be greater than 0' });
  } else if (amountMicros !== null && monthlyLimitMicros < amountMicros) {
    violations.push({ field: 'monthlyLimit', rule: 'atLeastAmount', message: 'must be at least amount' });
  } else if (targetMicros !== null && monthlyLimitMicros < targetMicros - thresholdMicros) {
    violations.push({
      field: 'monthlyLimit',
      rule: 'atLeastSmallestTopUp',
      message: 'must be at least target minus threshold, the least one top-up to the target can be',
    });
  }
  return violations;
}

/**
 * Whether to charge now, and how much. Below the threshold, a fixed rule tops up its amount and a target rule the
 * difference to its target. That request counts against the monthly limit; it is charged in the rule's currency,
 * rounded once to its decimals, and the account receives what that currency amount buys (the request give or take
 * less than one minor unit: counting the received credits instead would refuse forever a limit equal to an amount
 * that rounds up).
 */
export function decideTopUp(rule: AutoTopUpRule, situation: TopUpSituation, currency: CurrencyFormat): TopUpDecision {
  const { balanceMicros, monthTotalMicros, inFlight } = situation;
  if (balanceMicros >= rule.thresholdMicros) return { kind: 'none', reason: 'not-below-threshold' };
  if (inFlight) return { kind: 'none', reason: 'in-flight' };
  const wanted = rule.amountMicros ?? (rule.targetMicros as number) - balanceMicros;
  const scaled = creditsToCurrencyScaled(wanted, currency, currency.decimals);
  if (scaled <= 0n) return { kind: 'none', reason: 'too-small' };
  const currencyAmount = formatScaledDecimal(scaled, currency.decimals, currency.decimals);
  if (monthTotalMicros + wanted > rule.monthlyLimitMicros) return { kind: 'none', reason: 'monthly-limit' };
  return {
    kind: 'charge',
    requestedMicros: wanted,
    currencyAmount,
    creditedMicros: currencyToCredits(currencyAmount, currency),
  };
}
