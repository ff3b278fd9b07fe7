import fc from 'fast-check';
import { ACCOUNT_STATUSES, AccountStatusFilter, accountStatus, accountStatusFilter } from './account-status';

const credits = (n: number) => n * 1_000_000;
const thresholds = { lowBalanceThreshold: credits(10), negativeBalanceThreshold: 0 };
const suspendedAt = new Date('2026-03-10T12:00:00Z');

function matches(filter: AccountStatusFilter, balance: number, suspended: boolean): boolean {
  return (
    filter.suspended === suspended &&
    (filter.balanceAbove === undefined || balance > filter.balanceAbove) &&
    (filter.balanceAtMost === undefined || balance <= filter.balanceAtMost)
  );
}

describe('accountStatus', () => {
  it('is ok above the low threshold', () => {
    expect(accountStatus(credits(10) + 1, null, thresholds)).toBe('ok');
    expect(accountStatus(credits(500), null, thresholds)).toBe('ok');
  });

  it('is low at or below the low threshold, down to just above the negative one', () => {
    expect(accountStatus(credits(10), null, thresholds)).toBe('low');
    expect(accountStatus(1, null, thresholds)).toBe('low');
  });

  it('is negative at or below the negative threshold', () => {
    expect(accountStatus(0, null, thresholds)).toBe('negative');
    expect(accountStatus(credits(-3), null, thresholds)).toBe('negative');
  });

  it('follows thresholds below zero', () => {
    const belowZero = { lowBalanceThreshold: credits(-1), negativeBalanceThreshold: credits(-2) };
    expect(accountStatus(0, null, belowZero)).toBe('ok');
    expect(accountStatus(credits(-1), null, belowZero)).toBe('low');
    expect(accountStatus(credits(-2), null, belowZero)).toBe('negative');
  });

  it('is suspended while billing suspension is on, whatever the balance', () => {
    expect(accountStatus(credits(1000), suspendedAt, thresholds)).toBe('suspended');
    expect(accountStatus(credits(-1000), suspendedAt, thresholds)).toBe('suspended');
  });

  it('says negative, not low, when both thresholds are equal', () => {
    const equal = { lowBalanceThreshold: 0, negativeBalanceThreshold: 0 };
    expect(accountStatus(0, null, equal)).toBe('negative');
    expect(accountStatus(1, null, equal)).toBe('ok');
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
        (negative, gap, balance, suspended) => {
          const t = {
            negativeBalanceThreshold: Math.min(negative, 0),
            lowBalanceThreshold: Math.min(negative, 0) + gap,
          };
          const status = accountStatus(balance, suspended ? suspendedAt : null, t);
          for (const candidate of ACCOUNT_STATUSES) {
            expect(matches(accountStatusFilter(candidate, t), balance, suspended)).toBe(candidate === status);
          }
        },
      ),
    );
  });
});
