import { formatScaledDecimal, parseScaledDecimal } from './money';

/**
 * Quantities (IPv4 addresses, GB of traffic, disk requests) are exact decimals with up to this many places, kept
 * as integers scaled by 10^6: a host reporting 0.000001 GB (1 KB) is billed for exactly that.
 */
export const QUANTITY_DIGITS = 6;
export const QUANTITY_SCALE = 10n ** BigInt(QUANTITY_DIGITS);

/** "2.5" → 2_500_000n. Refuses more than six decimal places (MoneyFormatError), never rounds. */
export const parseQuantity = (value: string | number): bigint => parseScaledDecimal(value, QUANTITY_DIGITS);

export const formatQuantity = (scaled: bigint): string => formatScaledDecimal(scaled, QUANTITY_DIGITS);

/** A resource rule's quantity per instance, fixed by the rule or reported by the host. */
export const MAX_RULE_QUANTITY = 1_000_000;
