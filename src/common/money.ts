import currency from 'currency.js';

/**
 * The one place where credits are parsed, rounded, converted and formatted.
 * Stored amounts are integer micro-credits (1 credit = 1,000,000). Conversion
 * runs on BigInt so no float ever touches a stored amount; currency.js does
 * the display formatting (prefix, suffix, separators, decimals).
 */
export const MICRO_DIGITS = 6;
export const MICROS_PER_CREDIT = 1_000_000;
/** Values per credit are kept in billionths so that e.g. 0.000001 BTC per credit stays exact. */
export const RATE_DIGITS = 9;

export class MoneyFormatError extends Error {}

const pow10 = (digits: number): bigint => 10n ** BigInt(digits);

/** Rounds numerator / denominator half away from zero: the only rounding rule in the product. */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative ? -quotient : quotient;
}

export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyFormatError(`amount ${value} is outside the exact integer range`);
  }
  return Number(value);
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string (or a number, as its decimal text) into an integer scaled by 10^digits, refusing extra precision. */
export function parseScaledDecimal(value: string | number, digits: number): bigint {
  const text = typeof value === 'number' ? numberToDecimalText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyFormatError(`"${text}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits) throw new MoneyFormatError(`"${text}" has more than ${digits} decimal places`);
  const scaled = BigInt(whole) * pow10(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return sign ? -scaled : scaled;
}

function numberToDecimalText(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyFormatError(`${value} is not a finite number`);
  // Exponent notation (1e-7, 1e21) carries more precision or range than an amount may have.
  const text = String(value);
  if (/e/i.test(text)) throw new MoneyFormatError(`${text} is out of range for an amount`);
  return text;
}

/** Renders an integer scaled by 10^digits as a decimal string; `minFraction` pads, trailing zeros beyond it are dropped. */
export function formatScaledDecimal(scaled: bigint | number, digits: number, minFraction = 0): string {
  const value = BigInt(scaled);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / pow10(digits);
  let fraction = (abs % pow10(digits)).toString().padStart(digits, '0');
  while (fraction.length > minFraction && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function parseCredits(value: string | number): number {
  return toSafeNumber(parseScaledDecimal(value, MICRO_DIGITS));
}

export function formatCredits(micros: number | bigint): string {
  return formatScaledDecimal(micros, MICRO_DIGITS);
}

export interface CurrencyFormat {
  code: string;
  valuePerCreditNanos: number;
  prefix: string;
  suffix: string;
  decimals: number;
}

/** An amount as the API shows it; `amount` has the currency's decimals, a unit price's up to 6 more. */
export interface Money {
  credits: string;
  amount: string;
  currency: string;
  formatted: string;
}

/** Unit prices (per hour, per unit) get up to this many digits beyond the currency's, so 1.5 credits at $0.01 reads $0.015. */
export const UNIT_PRICE_EXTRA_DIGITS = 6;

/** Converts micro-credits into the currency scaled by 10^digits, rounded once. */
export function creditsToCurrencyScaled(
  micros: number | bigint,
  format: Pick<CurrencyFormat, 'valuePerCreditNanos'>,
  digits: number,
): bigint {
  const exact = BigInt(micros) * BigInt(format.valuePerCreditNanos); // scaled by 10^(MICRO_DIGITS + RATE_DIGITS)
  const excess = MICRO_DIGITS + RATE_DIGITS - digits;
  return excess >= 0 ? roundDiv(exact, pow10(excess)) : exact * pow10(-excess);
}

/** Converts an amount in a currency into micro-credits at that currency's value per credit, rounded once. */
export function currencyToCredits(
  amount: string | number,
  format: Pick<CurrencyFormat, 'valuePerCreditNanos'>,
): number {
  const amountNanos = parseScaledDecimal(amount, RATE_DIGITS);
  return toSafeNumber(roundDiv(amountNanos * pow10(MICRO_DIGITS), BigInt(format.valuePerCreditNanos)));
}

const THOUSANDS = /\B(?=(\d{3})+$)/g;

/**
 * A currency.js formatter that writes an exact decimal text in the layout of currency.js's settings (pattern,
 * symbol, separators). currency.js parses amounts into floats, which drift in the last digits of large amounts or
 * many decimals, so it only holds the sign (±1, exact) and its settings; the digits stay text.
 */
function exactLayout(unsigned: string): currency.Format {
  return (sign, settings = {}) => {
    const { pattern = '!#', negativePattern = '-!#', symbol = '', separator = ',', decimal = '.' } = settings;
    const [whole, fraction] = unsigned.split('.');
    const number = whole.replace(THOUSANDS, separator) + (fraction === undefined ? '' : `${decimal}${fraction}`);
    // One pass, so a '#' or '$&' in the prefix stays literal.
    return (sign && sign.value < 0 ? negativePattern : pattern).replace(/[!#]/g, (slot) =>
      slot === '!' ? symbol : number,
    );
  };
}

/** Lays out an exact decimal text (as `formatScaledDecimal` writes it) with the currency's prefix and suffix. */
export function formatCurrencyAmount(amount: string, format: Pick<CurrencyFormat, 'prefix' | 'suffix'>): string {
  const negative = amount.startsWith('-');
  const sign = currency(negative ? -1 : 1, {
    symbol: format.prefix,
    pattern: '!#',
    negativePattern: '-!#',
    separator: ',',
    decimal: '.',
    precision: 0,
  });
  return sign.format(exactLayout(negative ? amount.slice(1) : amount)) + format.suffix;
}

function moneyAt(micros: number | bigint, format: CurrencyFormat, digits: number): Money {
  const amount = formatScaledDecimal(creditsToCurrencyScaled(micros, format, digits), digits, format.decimals);
  return {
    credits: formatCredits(micros),
    amount,
    currency: format.code,
    formatted: formatCurrencyAmount(amount, format),
  };
}

/** A total (balance, cost, charge): rounded once to the currency's decimals. */
export function toMoney(micros: number | bigint, format: CurrencyFormat): Money {
  return moneyAt(micros, format, format.decimals);
}

/**
 * A unit price (per hour, per unit), which is multiplied before it is paid: shown with up to
 * UNIT_PRICE_EXTRA_DIGITS more decimals than the currency's, trailing zeros dropped, rounded once.
 */
export function toUnitPriceMoney(micros: number | bigint, format: CurrencyFormat): Money {
  return moneyAt(micros, format, format.decimals + UNIT_PRICE_EXTRA_DIGITS);
}
