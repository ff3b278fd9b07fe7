import type { FieldViolation } from '../common/validation';
import { formatCredits } from '../common/money';

export interface ThresholdValues {
  lowBalanceThreshold: number;
  negativeBalanceThreshold: number;
  suspensionThreshold: number;
}

type ThresholdField = keyof ThresholdValues;

/**
 * The ordering the thresholds must keep: suspension ≤ negative ≤ 0 and
 * negative ≤ low. `changed` lists the fields the admin just sent, so the
 * violation names the field they touched rather than the one left alone.
 */
export function checkThresholds(values: ThresholdValues, changed: ReadonlySet<string>): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const blame = (a: ThresholdField, b: ThresholdField) => (changed.has(a) || !changed.has(b) ? a : b);
  const show = (field: ThresholdField) => `${field} (${formatCredits(values[field])})`;

  if (values.negativeBalanceThreshold > 0) {
    violations.push({
      field: 'negativeBalanceThreshold',
      rule: 'negativeBalanceThreshold <= 0',
      message: 'must be 0 or below, since it marks a balance that has run out',
    });
  }
  if (values.suspensionThreshold > values.negativeBalanceThreshold) {
    const field = blame('suspensionThreshold', 'negativeBalanceThreshold');
    violations.push({
      field,
      rule: 'suspensionThreshold <= negativeBalanceThreshold',
      message:
        field === 'suspensionThreshold'
          ? `must be at or below ${show('negativeBalanceThreshold')}, so users are warned before suspension`
          : `must be at or above ${show('suspensionThreshold')}, so users are warned before suspension`,
    });
  }
  if (values.negativeBalanceThreshold > values.lowBalanceThreshold) {
    const field = blame('negativeBalanceThreshold', 'lowBalanceThreshold');
    violations.push({
      field,
      rule: 'negativeBalanceThreshold <= lowBalanceThreshold',
      message:
        field === 'negativeBalanceThreshold'
          ? `must be at or below ${show('lowBalanceThreshold')}`
          : `must be at or above ${show('negativeBalanceThreshold')}`,
    });
  }
  return violations;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
