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

export function formatCredits(micros: number): string {
  return formatScaledDecimal(micros, MICRO_DIGITS);
}

export interface CurrencyFormat {
  code: string;
  valuePerCreditNanos: number;
  prefix: string;
  suffix: string;
  decimals: number;
}

export interface Money {
  credits: string;
  amount: string;
  currency: string;
  formatted: string;
}

/** Converts micro-credits into the currency's minor units (10^-decimals), rounded once. */
export function creditsToCurrencyMinor(micros: number, format: CurrencyFormat): bigint {
  const exactScale = pow10(MICRO_DIGITS + RATE_DIGITS - format.decimals);
  return roundDiv(BigInt(micros) * BigInt(format.valuePerCreditNanos), exactScale);
}

/** Converts an amount in a currency into micro-credits at that currency's value per credit, rounded once. */
export function currencyToCredits(amount: string | number, format: CurrencyFormat): number {
  const amountNanos = parseScaledDecimal(amount, RATE_DIGITS);
  return toSafeNumber(roundDiv(amountNanos * pow10(MICRO_DIGITS), BigInt(format.valuePerCreditNanos)));
}

export function formatCurrencyAmount(minor: bigint, format: CurrencyFormat): string {
  const amount = formatScaledDecimal(minor, format.decimals, format.decimals);
  return currency(amount, {
    symbol: format.prefix,
    pattern: '!#',
    negativePattern: '-!#',
    separator: ',',
    decimal: '.',
    precision: format.decimals,
  })
    .format()
    .concat(format.suffix);
}

export function toMoney(micros: number, format: CurrencyFormat): Money {
  const minor = creditsToCurrencyMinor(micros, format);
  return {
    credits: formatCredits(micros),
    amount: formatScaledDecimal(minor, format.decimals, format.decimals),
    currency: format.code,
    formatted: formatCurrencyAmount(minor, format),
  };
}
