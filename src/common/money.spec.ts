import fc from 'fast-check';
import {
  CurrencyFormat,
  currencyToCredits,
  formatCredits,
  MoneyFormatError,
  parseCredits,
  parseScaledDecimal,
  roundDiv,
  toMoney,
} from './money';

const usd: CurrencyFormat = { code: 'USD', valuePerCreditNanos: 10_000_000, prefix: '$', suffix: '', decimals: 2 };
const eur: CurrencyFormat = { code: 'EUR', valuePerCreditNanos: 9_200_000, prefix: '', suffix: ' EUR', decimals: 2 };
const jpy: CurrencyFormat = { code: 'JPY', valuePerCreditNanos: 1_500_000_000, prefix: '¥', suffix: '', decimals: 0 };

describe('money', () => {
  it('parses credits exactly to the micro-credit', () => {
    expect(parseCredits('0.000001')).toBe(1);
    expect(parseCredits('12.5')).toBe(12_500_000);
    expect(parseCredits(12.5)).toBe(12_500_000);
    expect(parseCredits('-3')).toBe(-3_000_000);
    expect(parseCredits('0.1')).toBe(100_000);
  });

  it('refuses more precision than a micro-credit and malformed text', () => {
    expect(() => parseCredits('0.0000001')).toThrow(MoneyFormatError);
    expect(() => parseCredits(1e-7)).toThrow(MoneyFormatError);
    expect(() => parseCredits('1,5')).toThrow(MoneyFormatError);
    expect(() => parseCredits('abc')).toThrow(MoneyFormatError);
    expect(() => parseCredits('')).toThrow(MoneyFormatError);
    expect(() => parseCredits('99999999999999999')).toThrow(MoneyFormatError);
  });

  it('formats credits without trailing zeros and round-trips any amount', () => {
    expect(formatCredits(1)).toBe('0.000001');
    expect(formatCredits(150_000_000)).toBe('150');
    expect(formatCredits(-1_500_000)).toBe('-1.5');
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (micros) => {
        expect(parseCredits(formatCredits(micros))).toBe(micros);
      }),
    );
  });

  it('rounds half away from zero, once', () => {
    expect(roundDiv(5n, 2n)).toBe(3n);
    expect(roundDiv(-5n, 2n)).toBe(-3n);
    expect(roundDiv(4n, 3n)).toBe(1n);
    expect(roundDiv(-4n, 3n)).toBe(-1n);
    expect(roundDiv(7n, -2n)).toBe(-4n);
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const q = roundDiv(n, d);
          // The rounded quotient is within half a unit of the exact one.
          const error = q * d - n;
          expect(2n * (error < 0n ? -error : error)).toBeLessThanOrEqual(d);
        },
      ),
    );
  });

  it('shows an amount in the viewer currency as the Money object of the API', () => {
    expect(toMoney(150_000_000, usd)).toEqual({ credits: '150', amount: '1.50', currency: 'USD', formatted: '$1.50' });
    expect(toMoney(123_456_789_000_000, usd).formatted).toBe('$1,234,567.89');
    expect(toMoney(-250_000_000, eur)).toEqual({
      credits: '-250',
      amount: '-2.30',
      currency: 'EUR',
      formatted: '-2.30 EUR',
    });
    expect(toMoney(3_000_000, jpy)).toEqual({ credits: '3', amount: '5', currency: 'JPY', formatted: '¥5' });
    // 0.5 cent rounds up, not to the nearest even cent.
    expect(toMoney(500_000, usd).amount).toBe('0.01');
  });

  it('converts a currency amount into credits at the value per credit', () => {
    expect(currencyToCredits('1.50', usd)).toBe(150_000_000);
    expect(currencyToCredits(10, eur)).toBe(1_086_956_522);
    expect(() => currencyToCredits('1.5x', usd)).toThrow(MoneyFormatError);
  });

  it('parses scaled decimals at any scale', () => {
    expect(parseScaledDecimal('0.01', 9)).toBe(10_000_000n);
  });
});
