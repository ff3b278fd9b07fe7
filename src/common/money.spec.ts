import currency from 'currency.js';
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
  toUnitPriceMoney,
} from './money';

const usd: CurrencyFormat = { code: 'USD', valuePerCreditNanos: 10_000_000, prefix: '$', suffix: '', decimals: 2 };
const eur: CurrencyFormat = { code: 'EUR', valuePerCreditNanos: 9_200_000, prefix: '', suffix: ' EUR', decimals: 2 };
const jpy: CurrencyFormat = { code: 'JPY', valuePerCreditNanos: 1_500_000_000, prefix: '¥', suffix: '', decimals: 0 };
/** A coin worth one credit, shown to 8 decimals: amounts with 18 significant digits, more than a float holds. */
const coin: CurrencyFormat = { code: 'XBT', valuePerCreditNanos: 1_000_000_000, prefix: '₿', suffix: '', decimals: 8 };

/** `formatted` without its sign, prefix, suffix and thousands separators: the digits a reader sees. */
function shownDigits(money: { formatted: string; amount: string }, format: CurrencyFormat): string {
  const negative = money.amount.startsWith('-');
  const head = `${negative ? '-' : ''}${format.prefix}`;
  expect(money.formatted.startsWith(head)).toBe(true);
  expect(money.formatted.endsWith(format.suffix)).toBe(true);
  const number = money.formatted.slice(head.length, money.formatted.length - format.suffix.length);
  expect(number).toMatch(/^\d{1,3}(,\d{3})*(\.\d+)?$/);
  return `${negative ? '-' : ''}${number.replace(/,/g, '')}`;
}

const anyFormat: fc.Arbitrary<CurrencyFormat> = fc.record({
  code: fc.constant('XTS'),
  valuePerCreditNanos: fc.oneof(
    fc.integer({ min: 1, max: 1_000_000_000 }),
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  ),
  prefix: fc.string({ maxLength: 8 }),
  suffix: fc.string({ maxLength: 8 }),
  decimals: fc.integer({ min: 0, max: 9 }),
});
const anyMicros = fc.oneof(
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
);

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

  it('formats large amounts to the last digit, where a float would drift', () => {
    expect(toMoney(9_007_199_254_740_991, coin)).toEqual({
      credits: '9007199254.740991',
      amount: '9007199254.74099100',
      currency: 'XBT',
      formatted: '₿9,007,199,254.74099100',
    });
    expect(toMoney(-9_007_199_254_740_991, coin).formatted).toBe('-₿9,007,199,254.74099100');
    const rich: CurrencyFormat = { ...usd, valuePerCreditNanos: 123_456_789_123, suffix: ' USD', prefix: '' };
    expect(toMoney(9_007_199_254_740_991, rich)).toMatchObject({
      amount: '1111999898981.40',
      formatted: '1,111,999,898,981.40 USD',
    });
  });

  it('shows in formatted exactly the digits of amount, for any amount and any currency', () => {
    fc.assert(
      fc.property(anyMicros, anyFormat, (micros, format) => {
        const money = toMoney(micros, format);
        expect(shownDigits(money, format)).toBe(money.amount);
        const unitPrice = toUnitPriceMoney(micros, format);
        expect(shownDigits(unitPrice, format)).toBe(unitPrice.amount);
      }),
      { numRuns: 2000 },
    );
  });

  it('lays out small amounts as currency.js does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('$', '', '€ ', 'CHF'),
        (micros, decimals, prefix) => {
          const format: CurrencyFormat = { ...usd, prefix, decimals };
          const { amount, formatted } = toMoney(micros, format);
          const reference = currency(amount, {
            symbol: prefix,
            precision: decimals,
            pattern: '!#',
            negativePattern: '-!#',
          });
          expect(formatted).toBe(reference.format());
        },
      ),
    );
  });

  it('shows a unit price with the decimals it needs, never fewer than the currency has', () => {
    expect(toUnitPriceMoney(1_500_000, usd)).toEqual({
      credits: '1.5',
      amount: '0.015',
      currency: 'USD',
      formatted: '$0.015',
    });
    expect(toUnitPriceMoney(74_400, usd)).toMatchObject({ amount: '0.000744', formatted: '$0.000744' });
    expect(toUnitPriceMoney(2_000_000, usd)).toMatchObject({ amount: '0.02', formatted: '$0.02' });
    expect(toUnitPriceMoney(0, usd)).toMatchObject({ amount: '0.00', formatted: '$0.00' });
    expect(toUnitPriceMoney(1_000_000, eur)).toMatchObject({ amount: '0.0092', formatted: '0.0092 EUR' });
    expect(toUnitPriceMoney(1_500_000, jpy)).toMatchObject({ amount: '2.25', formatted: '¥2.25' });
    expect(toUnitPriceMoney(-1_500_000, usd).formatted).toBe('-$0.015');
    // A total keeps the currency's decimals.
    expect(toMoney(1_500_000, usd).formatted).toBe('$0.02');
  });

  it('rounds a unit price that needs more than 6 extra decimals once, half away from zero', () => {
    // Half a credit-cent: 1 micro-credit is exactly $0.000000005.
    const halfCent: CurrencyFormat = { ...usd, valuePerCreditNanos: 5_000_000 };
    expect(toUnitPriceMoney(1, halfCent).amount).toBe('0.00000001');
    expect(toUnitPriceMoney(-1, halfCent).amount).toBe('-0.00000001');
    expect(toUnitPriceMoney(3, halfCent).amount).toBe('0.00000002');
    // $0.0000000149 is 0.00000001 rounded once; rounding to 9 digits first would make it 0.00000002.
    expect(toUnitPriceMoney(1, { ...usd, valuePerCreditNanos: 14_900_000 }).amount).toBe('0.00000001');
    fc.assert(
      fc.property(anyMicros, anyFormat, (micros, format) => {
        const digits = format.decimals + 6;
        const { amount } = toUnitPriceMoney(micros, format);
        expect(amount.split('.')[1]?.length ?? 0).toBeGreaterThanOrEqual(format.decimals);
        // Within half a unit of the last shown digit from the exact value micros × value / 10^15.
        const shown = parseScaledDecimal(amount, digits) * 10n ** 15n;
        const exact = BigInt(micros) * BigInt(format.valuePerCreditNanos) * 10n ** BigInt(digits);
        const error = shown - exact;
        expect(2n * (error < 0n ? -error : error)).toBeLessThanOrEqual(10n ** 15n);
      }),
    );
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
