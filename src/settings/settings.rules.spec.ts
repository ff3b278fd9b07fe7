import { checkThresholds, isValidTimeZone } from './settings.rules';

const credits = (n: number) => n * 1_000_000;
const valid = { lowBalanceThreshold: credits(10), negativeBalanceThreshold: 0, suspensionThreshold: credits(-5) };

describe('threshold rules', () => {
  it('accepts suspension ≤ negative ≤ 0 and negative ≤ low, including equal values', () => {
    expect(checkThresholds(valid, new Set())).toEqual([]);
    expect(
      checkThresholds({ lowBalanceThreshold: 0, negativeBalanceThreshold: 0, suspensionThreshold: 0 }, new Set()),
    ).toEqual([]);
    expect(
      checkThresholds(
        { lowBalanceThreshold: credits(-1), negativeBalanceThreshold: credits(-1), suspensionThreshold: credits(-1) },
        new Set(),
      ),
    ).toEqual([]);
  });

  it('refuses a negative threshold above 0', () => {
    const violations = checkThresholds(
      { ...valid, negativeBalanceThreshold: 1 },
      new Set(['negativeBalanceThreshold']),
    );
    expect(violations.map((v) => v.rule)).toContain('negativeBalanceThreshold <= 0');
    expect(violations.every((v) => v.field === 'negativeBalanceThreshold')).toBe(true);
  });

  it('refuses a suspension threshold above the negative one, naming the field the admin changed', () => {
    const raised = checkThresholds({ ...valid, suspensionThreshold: credits(1) }, new Set(['suspensionThreshold']));
    expect(raised).toEqual([
      expect.objectContaining({
        field: 'suspensionThreshold',
        rule: 'suspensionThreshold <= negativeBalanceThreshold',
      }),
    ]);
    const lowered = checkThresholds(
      { ...valid, negativeBalanceThreshold: credits(-6) },
      new Set(['negativeBalanceThreshold']),
    );
    expect(lowered).toEqual([
      expect.objectContaining({
        field: 'negativeBalanceThreshold',
        rule: 'suspensionThreshold <= negativeBalanceThreshold',
      }),
    ]);
  });

  it('refuses a negative threshold above the low one', () => {
    const violations = checkThresholds(
      { lowBalanceThreshold: credits(-3), negativeBalanceThreshold: credits(-1), suspensionThreshold: credits(-5) },
      new Set(['lowBalanceThreshold']),
    );
    expect(violations).toEqual([
      expect.objectContaining({
        field: 'lowBalanceThreshold',
        rule: 'negativeBalanceThreshold <= lowBalanceThreshold',
      }),
    ]);
  });

  it('knows IANA time zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
