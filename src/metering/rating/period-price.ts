import type { Cumulative } from './cumulative-charge';
import { QUANTITY_SCALE } from '../../common/quantities';

/** The longest period a rule may price by (NoCloud's "every 30 days" and a 31-day month both fit). */
export const MAX_PERIOD_SECONDS = 31 * 86_400;

function checkPrice(priceMicros: number): void {
  if (!Number.isSafeInteger(priceMicros) || priceMicros < 0) {
    throw new RangeError(`a rule price must be a whole non-negative number of micro-credits (got ${priceMicros})`);
  }
}

/**
 * A resource rule's price: `priceMicros` for one unit of the resource held for `periodSeconds` (10 credits per
 * IPv4 address per 30 days; 0.01 credits per hour of suspension). Its running total is quantity-seconds: a
 * quantity scaled by 10^6 (common/quantities.ts) times the seconds it was held in a billed state.
 */
export function perPeriodPrice(priceMicros: number, periodSeconds: number): Cumulative {
  checkPrice(priceMicros);
  if (!Number.isInteger(periodSeconds) || periodSeconds < 1 || periodSeconds > MAX_PERIOD_SECONDS) {
    throw new RangeError(`a rule period must be 1 … ${MAX_PERIOD_SECONDS} seconds (got ${periodSeconds})`);
  }
  const denominator = BigInt(periodSeconds) * QUANTITY_SCALE;
  return { costOf: (quantitySeconds) => ({ numerator: quantitySeconds * BigInt(priceMicros), denominator }) };
}

/**
 * A one-off rule's price (period 0, charged once at creation): `priceMicros` per unit of the resource. Its running
 * total is the quantity itself, scaled by 10^6, so 2.5 units of a 4-credit setup fee cost exactly 10 credits.
 */
export function oneOffPrice(priceMicros: number): Cumulative {
  checkPrice(priceMicros);
  return { costOf: (quantity) => ({ numerator: quantity * BigInt(priceMicros), denominator: QUANTITY_SCALE }) };
}
