import { MAX_RULE_HOURLY_MICROS } from './metering-bounds';
import { ruleTermViolations, type RuleTerms } from './rule-terms';

const ipv4: RuleTerms = {
  priceMicros: 10_000_000,
  periodSeconds: 30 * 86_400,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: 1_000_000n,
};
const broken = (terms: Partial<RuleTerms>) =>
  ruleTermViolations({ ...ipv4, ...terms }).map(({ field, rule }) => `${field}:${rule}`);

describe('the checks across a rule’s fields', () => {
  it('accepts a fixed IPv4 rule and a reported one without a quantity', () => {
    expect(broken({})).toEqual([]);
    expect(broken({ quantitySource: 'reported', fixedQuantity: null })).toEqual([]);
  });

  it('wants a fixed quantity exactly when the quantity is fixed', () => {
    expect(broken({ fixedQuantity: null })).toEqual(['fixedQuantity:requiredWhenFixed']);
    expect(broken({ quantitySource: 'reported' })).toEqual(['fixedQuantity:onlyWhenFixed']);
  });

  it('takes a one-off rule (period 0) as prepaid only', () => {
    expect(broken({ periodSeconds: 0, kind: 'prepaid' })).toEqual([]);
    expect(broken({ periodSeconds: 0, kind: 'postpaid' })).toEqual(['kind:oneOffIsPrepaid']);
  });

  it('bounds what one unit costs an hour, exactly at the bound', () => {
    expect(broken({ priceMicros: MAX_RULE_HOURLY_MICROS, periodSeconds: 3_600 })).toEqual([]);
    expect(broken({ priceMicros: MAX_RULE_HOURLY_MICROS + 1, periodSeconds: 3_600 })).toEqual(['price:maxHourlyRate']);
    // Per 36 seconds: a hundredth of the hourly bound is the most 36 seconds may cost.
    expect(broken({ priceMicros: MAX_RULE_HOURLY_MICROS / 100, periodSeconds: 36 })).toEqual([]);
    expect(broken({ priceMicros: MAX_RULE_HOURLY_MICROS / 100 + 1, periodSeconds: 36 })).toEqual([
      'price:maxHourlyRate',
    ]);
    // A one-off price is not an hourly rate.
    expect(broken({ priceMicros: MAX_RULE_HOURLY_MICROS * 10, periodSeconds: 0, kind: 'prepaid' })).toEqual([]);
  });
});
