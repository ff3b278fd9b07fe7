import { MICROS_PER_CREDIT } from './money';

/*
 * Upper bounds on prices and on what one credit may move, checked at input (README, "Limits"), so that no
 * charge and no balance leaves the range where micro-credits are exact JavaScript integers:
 * Number.MAX_SAFE_INTEGER micro-credits is about 9,007,199,254 credits. With these bounds one instance-hour
 * costs at most 1,000,000 credits and a credited balance stays within ±1,000,000,000, which leaves about
 * 8,000,000,000 credits of charges before an account could leave the exact range.
 */

/** Per state (running, stopped, suspended): credits per hour. */
export const MAX_HOURLY_PRICE_CREDITS = 1_000_000;
/** Credits per month; also the most a monthly cap can be. */
export const MAX_MONTHLY_PRICE_CREDITS = 100_000_000;
/** One top-up, refund or adjustment, either way, after conversion when given in a currency. */
export const MAX_CREDIT_AMOUNT_CREDITS = 1_000_000_000;
/** The balance a top-up, refund or adjustment may leave, either way; charges are not held to it. */
export const MAX_BALANCE_CREDITS = 1_000_000_000;

export const MAX_HOURLY_PRICE_MICROS = MAX_HOURLY_PRICE_CREDITS * MICROS_PER_CREDIT;
export const MAX_MONTHLY_PRICE_MICROS = MAX_MONTHLY_PRICE_CREDITS * MICROS_PER_CREDIT;
export const MAX_CREDIT_AMOUNT_MICROS = MAX_CREDIT_AMOUNT_CREDITS * MICROS_PER_CREDIT;
export const MAX_BALANCE_MICROS = MAX_BALANCE_CREDITS * MICROS_PER_CREDIT;

/**
 * Whether a credit or adjustment taking a balance from `before` to `after` breaks the balance bound. Charges
 * can take a balance past it; a credit that brings such a balance closer to zero, on the same side, is welcome.
 */
export function leavesBalanceBound(before: number, after: number): boolean {
  if (Math.abs(after) <= MAX_BALANCE_MICROS) return false;
  const closerOnSameSide = Math.sign(after) === Math.sign(before) && Math.abs(after) < Math.abs(before);
  return !closerOnSameSide;
}
