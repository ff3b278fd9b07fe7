import { MAX_HOURLY_PRICE_MICROS, MAX_MONTHLY_PRICE_MICROS } from '../common/money-bounds';
import { MAX_RULE_QUANTITY } from '../common/quantities';

/*
 * Bounds on rules and counters, checked at input like the plan's prices (README, "Limits"), so that what they
 * charge stays within the range where micro-credits and scaled quantities are exact integers.
 */

/** A rule's price per period: at most what a plan may cost a month. */
export const MAX_RULE_PRICE_MICROS = MAX_MONTHLY_PRICE_MICROS;
/** What one unit of a periodic rule may cost an hour (price × 3600 / periodSeconds): a plan's hourly bound. */
export const MAX_RULE_HOURLY_MICROS = MAX_HOURLY_PRICE_MICROS;
/** A rule's fixed quantity per instance: what the host may report for it too. */
export const MAX_FIXED_QUANTITY = MAX_RULE_QUANTITY;
/** A counter's measurement unit, and where a price range may start, in the counter's own unit. */
export const MAX_MEASUREMENT_UNIT = 1_000_000_000;
export const MAX_RANGE_FROM = 1_000_000_000;
/** What one measurement unit may cost in any range: a plan's hourly bound. */
export const MAX_RANGE_PRICE_MICROS = MAX_HOURLY_PRICE_MICROS;
export const MAX_PRICE_RANGES = 20;
/** A reported quantity or cumulative reading: scaled by 10^6 it stays a safe integer (below 2^53). */
export const MAX_USAGE_QUANTITY = 9_000_000_000;
/** The host's own id for a usage report, its idempotency key. */
export const MAX_USAGE_REPORT_ID_LENGTH = 160;
