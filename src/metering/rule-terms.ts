import { formatCredits } from '../common/money';
import type { FieldViolation } from '../common/validation';
import { MAX_RULE_HOURLY_MICROS } from './metering-bounds';
import type { QuantitySource, RuleKind } from './metering.types';

const HOUR_SECONDS = 3_600;

/** What a rule charges, as the checks across its fields see it (after a PATCH: the rule as it would become). */
export interface RuleTerms {
  priceMicros: number;
  periodSeconds: number;
  kind: RuleKind;
  quantitySource: QuantitySource;
  /** Scaled by 10^6; null when none is set. */
  fixedQuantity: bigint | null;
}

/**
 * The rules that tie a rule's fields together, each broken one named for a 400: a fixed quantity exactly when the
 * quantity is fixed; a one-off rule (period 0) is charged at creation, which is prepaid; and one unit may cost at
 * most a plan's hourly bound an hour, whatever period its price is quoted for.
 */
export function ruleTermViolations(terms: RuleTerms): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (terms.quantitySource === 'fixed' && terms.fixedQuantity === null) {
    violations.push({
      field: 'fixedQuantity',
      rule: 'requiredWhenFixed',
      message: 'fixedQuantity is required when quantitySource is "fixed"',
    });
  }
  if (terms.quantitySource === 'reported' && terms.fixedQuantity !== null) {
    violations.push({
      field: 'fixedQuantity',
      rule: 'onlyWhenFixed',
      message: 'fixedQuantity must be left out when quantitySource is "reported": the host reports the quantity',
    });
  }
  if (terms.periodSeconds === 0 && terms.kind !== 'prepaid') {
    violations.push({
      field: 'kind',
      rule: 'oneOffIsPrepaid',
      message: 'kind must be "prepaid" when periodSeconds is 0: a one-off rule is charged when the instance is created',
    });
  }
  const hourlyTimesPeriod = BigInt(terms.priceMicros) * BigInt(HOUR_SECONDS);
  if (terms.periodSeconds > 0 && hourlyTimesPeriod > BigInt(MAX_RULE_HOURLY_MICROS) * BigInt(terms.periodSeconds)) {
    violations.push({
      field: 'price',
      rule: 'maxHourlyRate',
      message:
        `price must come to at most ${formatCredits(MAX_RULE_HOURLY_MICROS)} credits an hour per unit ` +
        '(price × 3600 / periodSeconds)',
    });
  }
  return violations;
}
