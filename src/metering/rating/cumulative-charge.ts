import { roundDiv } from '../../common/money';

/**
 * Charges that stay exact however a month is cut. Every metered price here is a rational function of a running
 * total (a rule's quantity-seconds, a counter's units); a piece of usage is charged as the rounded cost of the
 * total after it minus the rounded cost of the total before it. The pieces of a month then add up to the rounded
 * cost of the whole month, to the micro-credit, whether it was settled in one run or in 744 hourly ones, and a
 * price range that starts inside an hour splits that hour's charge exactly where it starts.
 */
export interface Cumulative {
  /** The exact cost of a running total, as a fraction: micro-credits = numerator / denominator. */
  costOf(total: bigint): { numerator: bigint; denominator: bigint };
}

/** The one rounding of a running total's cost: half away from zero, as every other charge is rounded. */
export function roundedCost(pricing: Cumulative, total: bigint): bigint {
  const { numerator, denominator } = pricing.costOf(total);
  return roundDiv(numerator, denominator);
}

/** What a piece of usage costs, given the running total before it in the same month. */
export function pieceCharge(pricing: Cumulative, totalBefore: bigint, piece: bigint): bigint {
  if (totalBefore < 0n || piece < 0n) throw new RangeError('usage totals cannot be negative');
  return roundedCost(pricing, totalBefore + piece) - roundedCost(pricing, totalBefore);
}
