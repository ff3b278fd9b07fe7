import type { Cumulative } from './cumulative-charge';
import { QUANTITY_SCALE } from '../../common/quantities';

/**
 * One of a counter's price ranges (Atomia): from `from` measurement units used this month on, each further unit
 * costs `priceMicros`. `from` is scaled by 10^6 like every quantity. An included allowance is a first range at 0.
 */
export interface PriceRange {
  from: bigint;
  priceMicros: number;
}

/** What is wrong with a list of ranges: the rule it breaks, named for the 400 that refuses it, and why. */
export interface RangesProblem {
  rule: 'hasPriceRange' | 'startsAtZero' | 'nonNegativePrice' | 'strictlyIncreasing';
  message: string;
}

/** Why a list of ranges cannot price a counter, or null when it can. */
export function invalidRanges(ranges: readonly PriceRange[]): RangesProblem | null {
  if (ranges.length === 0) return { rule: 'hasPriceRange', message: 'a counter needs at least one price range' };
  if (ranges[0].from !== 0n) return { rule: 'startsAtZero', message: 'the first price range must start at 0' };
  for (let i = 0; i < ranges.length; i++) {
    const { from, priceMicros } = ranges[i];
    if (!Number.isSafeInteger(priceMicros) || priceMicros < 0) {
      return { rule: 'nonNegativePrice', message: 'a range price must not be negative' };
    }
    if (i > 0 && from <= ranges[i - 1].from) {
      return { rule: 'strictlyIncreasing', message: 'price ranges must start at strictly increasing quantities' };
    }
  }
  return null;
}

/**
 * Graduated pricing of a counter whose usage is counted in its own unit (requests, GB) and priced per measurement
 * unit (1,000,000 requests, 1 GB): each unit is priced by the range it falls in, so crossing a range boundary
 * changes the price of the units after it only. The running total is the month's usage in the counter's unit,
 * scaled by 10^6; `measurementUnit` is scaled the same way (1 GB → 1_000_000n).
 */
export function graduatedPrice(ranges: readonly PriceRange[], measurementUnit: bigint): Cumulative {
  const invalid = invalidRanges(ranges);
  if (invalid) throw new RangeError(invalid.message);
  if (measurementUnit <= 0n) throw new RangeError('a measurement unit must be positive');
  // Everything in 10^-12 of the counter's unit: usage × 10^6, and range starts × the measurement unit. Both are
  // integers, so a range boundary lands exactly, whatever the decimals on either side.
  const starts = ranges.map((range) => range.from * measurementUnit);
  const denominator = measurementUnit * QUANTITY_SCALE;
  return {
    costOf(total) {
      const used = total * QUANTITY_SCALE;
      let numerator = 0n;
      for (let i = 0; i < ranges.length && used > starts[i]; i++) {
        const end = i + 1 < ranges.length && used > starts[i + 1] ? starts[i + 1] : used;
        numerator += (end - starts[i]) * BigInt(ranges[i].priceMicros);
      }
      return { numerator, denominator };
    },
  };
}
