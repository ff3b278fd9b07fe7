import type { CurrencyFormat } from '../common/money';
import { AutoTopUpRule, decideTopUp, ruleViolations } from './auto-top-up-rule';

const C = 1_000_000;
const usd: CurrencyFormat = { code: 'USD', valuePerCreditNanos: 10_000_000, prefix: '$', suffix: '', decimals: 2 };
const eur: CurrencyFormat = { code: 'EUR', valuePerCreditNanos: 9_200_000, prefix: '', suffix: ' €', decimals: 2 };

const fixed: AutoTopUpRule = {
  thresholdMicros: 10 * C,
  amountMicros: 500 * C,
  targetMicros: null,
  monthlyLimitMicros: 1000 * C,
};
const upTo: AutoTopUpRule = {
  thresholdMicros: 10 * C,
  amountMicros: null,
  targetMicros: 300 * C,
  monthlyLimitMicros: 1000 * C,
};
const calm = { monthTotalMicros: 0, inFlight: false };

describe('decideTopUp', () => {
  it('charges the fixed amount in the currency once the balance is below the threshold, not at it', () => {
    expect(decideTopUp(fixed, { ...calm, balanceMicros: 10 * C }, usd)).toEqual({
      kind: 'none',
      reason: 'not-below-threshold',
    });
    expect(decideTopUp(fixed, { ...calm, balanceMicros: 10 * C - 1 }, usd)).toEqual({
      kind: 'charge',
      requestedMicros: 500 * C,
      currencyAmount: '5.00',
      creditedMicros: 500 * C,
    });
  });

  it('tops a target rule up by the difference between target and balance, also from below zero', () => {
    expect(decideTopUp(upTo, { ...calm, balanceMicros: 4_250_000 }, usd)).toMatchObject({
      requestedMicros: 295_750_000,
      currencyAmount: '2.96',
      creditedMicros: 296 * C,
    });
    expect(decideTopUp(upTo, { ...calm, balanceMicros: -50 * C }, usd)).toMatchObject({
      requestedMicros: 350 * C,
      currencyAmount: '3.50',
    });
  });

  it('credits what the rounded currency amount buys at the currency’s rate', () => {
    // 38 credits × 0.0092 = 0.3496 EUR, charged as 0.35 EUR, which buys 38.043478 credits.
    const rule = { ...fixed, amountMicros: 38 * C, monthlyLimitMicros: 38 * C };
    expect(decideTopUp(rule, { ...calm, balanceMicros: 0 }, eur)).toEqual({
      kind: 'charge',
      requestedMicros: 38 * C,
      currencyAmount: '0.35',
      creditedMicros: 38_043_478,
    });
  });

  it('starts nothing beside an attempt in flight', () => {
    expect(decideTopUp(fixed, { ...calm, inFlight: true, balanceMicros: 0 }, usd)).toEqual({
      kind: 'none',
      reason: 'in-flight',
    });
  });

  it('never lets the month’s attempts pass the monthly limit, and reaches it exactly', () => {
    expect(decideTopUp(fixed, { ...calm, monthTotalMicros: 500 * C, balanceMicros: 0 }, usd).kind).toBe('charge');
    expect(decideTopUp(fixed, { ...calm, monthTotalMicros: 500 * C + 1, balanceMicros: 0 }, usd)).toEqual({
      kind: 'none',
      reason: 'monthly-limit',
    });
    // A target rule asks for more the lower the balance is: the same month total passes or not with it.
    expect(decideTopUp(upTo, { ...calm, monthTotalMicros: 700 * C, balanceMicros: 0 }, usd).kind).toBe('charge');
    expect(decideTopUp(upTo, { ...calm, monthTotalMicros: 700 * C, balanceMicros: -1 }, usd)).toMatchObject({
      reason: 'monthly-limit',
    });
  });

  it('charges nothing when the amount is less than half a minor unit of the currency', () => {
    const tiny = { ...upTo, targetMicros: 10 * C + 400_000 };
    expect(decideTopUp(tiny, { ...calm, balanceMicros: 10 * C - 1 }, usd)).toEqual({
      kind: 'none',
      reason: 'too-small',
    });
  });
});

describe('ruleViolations', () => {
  const rules = (rule: AutoTopUpRule) => ruleViolations(rule).map((v) => `${v.field}:${v.rule}`);

  it('accepts a consistent fixed or target rule', () => {
    expect(rules(fixed)).toEqual([]);
    expect(rules(upTo)).toEqual([]);
    expect(rules({ ...upTo, monthlyLimitMicros: 290 * C })).toEqual([]);
  });

  it('needs exactly one of amount and target', () => {
    expect(rules({ ...fixed, targetMicros: 300 * C })).toEqual([
      'amount:exactlyOneOfAmountAndTarget',
      'target:exactlyOneOfAmountAndTarget',
    ]);
    expect(rules({ ...fixed, amountMicros: null })).toHaveLength(2);
  });

  it('refuses a zero amount, a target at or below the threshold and a limit below one top-up', () => {
    expect(rules({ ...fixed, amountMicros: 0 })).toContain('amount:isPositive');
    expect(rules({ ...upTo, targetMicros: 10 * C })).toContain('target:aboveThreshold');
    expect(rules({ ...fixed, monthlyLimitMicros: 500 * C - 1 })).toEqual(['monthlyLimit:atLeastAmount']);
    expect(rules({ ...upTo, monthlyLimitMicros: 290 * C - 1 })).toEqual(['monthlyLimit:atLeastSmallestTopUp']);
    expect(rules({ ...fixed, monthlyLimitMicros: 0 })).toEqual(['monthlyLimit:isPositive']);
  });
});
