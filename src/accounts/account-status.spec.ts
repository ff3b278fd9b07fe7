import fc from 'fast-check';
import { ACCOUNT_STATUSES, AccountStatusFilter, accountStatus, accountStatusFilter } from './account-status';

const credits = (n: number) => n * 1_000_000;
const thresholds = { lowBalanceThreshold: credits(10), negativeBalanceThreshold: 0 };
const suspendedAtMs = Date.parse('2026-03-10T12:00:00Z');
/** An account with ledger entries: the usual case. */
const credited = (balance: number, billingSuspendedAtMs: number | null = null) => ({
  balance,
  billingSuspendedAtMs,
  hasEntries: true,
});

function matches(filter: AccountStatusFilter, balance: number, suspended: boolean, hasEntries: boolean): boolean {
  return (
    filter.suspended === suspended &&
    (filter.hasEntries === undefined || filter.hasEntries === hasEntries) &&
    (filter.balanceAbove === undefined || balance > filter.balanceAbove) &&
    (filter.balanceAtMost === undefined || balance <= filter.balanceAtMost)
  );
}

describe('accountStatus', () => {
  it('is ok above the low threshold', () => {
    expect(accountStatus(credited(credits(10) + 1), thresholds)).toBe('ok');
    expect(accountStatus(credited(credits(500)), thresholds)).toBe('ok');
  });

  it('is low at or below the low threshold, down to just above the negative one', () => {
    expect(accountStatus(credited(credits(10)), thresholds)).toBe('low');
    expect(accountStatus(credited(1), thresholds)).toBe('low');
  });

  it('is negative at or below the negative threshold', () => {
    expect(accountStatus(credited(0), thresholds)).toBe('negative');
    expect(accountStatus(credited(credits(-3)), thresholds)).toBe('negative');
  });

  it('follows thresholds below zero', () => {
    const belowZero = { lowBalanceThreshold: credits(-1), negativeBalanceThreshold: credits(-2) };
    expect(accountStatus(credited(0), belowZero)).toBe('ok');
    expect(accountStatus(credited(credits(-1)), belowZero)).toBe('low');
    expect(accountStatus(credited(credits(-2)), belowZero)).toBe('negative');
  });

  it('is suspended while billing suspension is on, whatever the balance', () => {
    expect(accountStatus(credited(credits(1000), suspendedAtMs), thresholds)).toBe('suspended');
    expect(accountStatus(credited(credits(-1000), suspendedAtMs), thresholds)).toBe('suspended');
  });

  it('is no credit yet, not negative, while the ledger is empty, whatever the thresholds', () => {
    const fresh = { balance: 0, billingSuspendedAtMs: null, hasEntries: false };
    expect(accountStatus(fresh, thresholds)).toBe('no_credit');
    expect(accountStatus(fresh, { lowBalanceThreshold: credits(-1), negativeBalanceThreshold: credits(-2) })).toBe(
      'no_credit',
    );
    // One charge and the same balance tells another story.
    expect(accountStatus(credited(0), thresholds)).toBe('negative');
  });

  it('says negative, not low, when both thresholds are equal', () => {
    const equal = { lowBalanceThreshold: 0, negativeBalanceThreshold: 0 };
    expect(accountStatus(credited(0), equal)).toBe('negative');
    expect(accountStatus(credited(1), equal)).toBe('ok');
  });
});

describe('accountStatusFilter', () => {
  it('selects exactly the accounts accountStatus gives that status, for any valid thresholds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -credits(1000), max: credits(1000) }),
        fc.integer({ min: 0, max: credits(100) }),
        fc.integer({ min: -credits(1000), max: credits(1000) }),
        fc.boolean(),
        fc.boolean(),
        (negative, gap, balance, suspended, hasEntries) => {
          const t = {
            negativeBalanceThreshold: Math.min(negative, 0),
            lowBalanceThreshold: Math.min(negative, 0) + gap,
          };
          // The balance is the sum of the entries: without any it is 0.
          const standing = {
            balance: hasEntries ? balance : 0,
            billingSuspendedAtMs: suspended ? suspendedAtMs : null,
            hasEntries,
          };
          const status = accountStatus(standing, t);
          for (const candidate of ACCOUNT_STATUSES) {
            expect(matches(accountStatusFilter(candidate, t), standing.balance, suspended, hasEntries)).toBe(
              candidate === status,
            );
          }
        },
      ),
    );
  });
});
