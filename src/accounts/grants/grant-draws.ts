/**
 * How debits consume credit grants (the Lago / Stripe credit-grant model), as pure arithmetic on micro-credits.
 *
 * The account's balance is its plain credit (paid, without a grant: never expires, used last by charges) plus the
 * remainders of its open grants. Only plain credit goes below 0: a grant's remainder stays between 0 and its
 * amount, and amount = remainder + what debits drew + what expired. Credit that arrives as a grant while plain
 * credit is below 0 pays that debt first, so a debt is never hidden behind a grant that could later expire.
 */

export const GRANT_CATEGORIES = ['paid', 'promotional'] as const;
export type GrantCategory = (typeof GRANT_CATEGORIES)[number];

export interface OpenGrant {
  id: number;
  category: GrantCategory;
  /** Higher is used first within a category. */
  priority: number;
  /** Null: never expires. */
  expiresAtMs: number | null;
  remaining: number;
}

export interface GrantDraw {
  grantId: number;
  amount: number;
}

/**
 * Charges use promotional credit before paid, then higher priority, then the earliest expiry (never last), then
 * the older grant. Refunds and chargebacks give back paid money, so they turn the categories round.
 */
export type DrawOrder = 'charge' | 'paid-first';

const categoryRank = (category: GrantCategory, order: DrawOrder): number =>
  (category === 'promotional') === (order === 'charge') ? 0 : 1;

export function sortForDrawing<T extends OpenGrant>(grants: T[], order: DrawOrder): T[] {
  return [...grants].sort(
    (a, b) =>
      categoryRank(a.category, order) - categoryRank(b.category, order) ||
      b.priority - a.priority ||
      (a.expiresAtMs ?? Infinity) - (b.expiresAtMs ?? Infinity) ||
      a.id - b.id,
  );
}

/**
 * The draws a debit of `amount` (> 0) makes on the grants that may pay it.
 * - `charge`: grants in charge order, then plain paid credit; whatever the grants cannot pay comes from plain
 *   credit, which may go below 0.
 * - `paid-first` (refund, chargeback): plain paid credit first (what the balance holds beyond the grants), then
 *   paid grants, then promotional ones; a chargeback may still leave the balance below 0 after all of them.
 * In both, the grants together give up at least what keeps their sum within the balance after the debit.
 */
export function drawsForDebit(
  grants: OpenGrant[],
  amount: number,
  balanceBefore: number,
  order: DrawOrder,
): GrantDraw[] {
  if (!(amount > 0)) throw new RangeError(`a debit draws a positive amount (got ${amount})`);
  const plain = Math.max(0, plainCredit(balanceBefore, grants));
  let left = order === 'charge' ? amount : Math.max(0, amount - plain);
  const draws: GrantDraw[] = [];
  for (const grant of sortForDrawing(grants, order)) {
    if (left === 0) break;
    const take = Math.min(left, grant.remaining);
    if (take > 0) draws.push({ grantId: grant.id, amount: take });
    left -= take;
  }
  return draws;
}

/**
 * What of a new grant of `amount` stays open: credit that arrives while plain credit is below 0 pays that debt
 * first (that part is used at once); the rest remains.
 */
export function openRemainderOfNewGrant(amount: number, plainCreditBefore: number): number {
  return Math.max(0, amount + Math.min(0, plainCreditBefore));
}

/** The balance's part held by no grant; below 0 when the account owes. */
export function plainCredit(balance: number, grants: Pick<OpenGrant, 'remaining'>[]): number {
  return balance - sum(grants);
}

export function sum(grants: Pick<OpenGrant, 'remaining'>[]): number {
  return grants.reduce((total, grant) => total + grant.remaining, 0);
}

/** The paid / promotional split of a balance, from its open grants (plain credit counts as paid). */
export function creditSplit(balance: number, grants: OpenGrant[]): { paid: number; promotional: number } {
  const promotional = sum(grants.filter((grant) => grant.category === 'promotional'));
  return { paid: balance - promotional, promotional };
}
