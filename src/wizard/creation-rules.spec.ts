import { CreationFacts, creationRefusal, creditRefusal, refusalStatus } from './creation-rules';

const allowed: CreationFacts = {
  planName: 'C2',
  planEnabled: true,
  locationName: 'Frankfurt',
  locationEnabled: true,
  offered: true,
  hasCapacity: true,
  balance: 0,
  allowCreateOnNegativeBalance: false,
  creditHours: 0,
  creditNeeded: 0n,
};
const format = (micros: number | bigint) => `$${(Number(micros) / 100_000_000).toFixed(2)}`;
const refusal = (changes: Partial<CreationFacts>) => creationRefusal({ ...allowed, ...changes }, format);

describe('whether a user may create an instance', () => {
  it('allows a balance of exactly zero when no credit is needed', () => {
    expect(refusal({})).toBeNull();
  });

  it.each([
    [{ planEnabled: false }, 'plan-unavailable', 'C2 is not available at the moment'],
    [{ locationEnabled: false }, 'location-unavailable', 'Frankfurt is not available at the moment'],
    [{ offered: false }, 'not-offered', 'C2 is not offered in Frankfurt'],
    [{ hasCapacity: false }, 'no-capacity', 'no capacity in Frankfurt for C2'],
    [{ balance: -150_000_000 }, 'negative-balance', 'your balance is negative ($-1.50); top up before creating'],
  ])('refuses %j as %s, saying why', (changes, code, reason) => {
    expect(refusal(changes)).toEqual({ code, reason: expect.stringContaining(reason) });
  });

  it('lets a negative balance create when the admin allows it, whatever credit the setting asks for', () => {
    expect(refusal({ balance: -1, allowCreateOnNegativeBalance: true })).toBeNull();
    expect(refusal({ balance: 0, creditHours: 5, creditNeeded: 9_000_000n, allowCreateOnNegativeBalance: true })).toBe(
      null,
    );
  });

  it('names the catalog reason before capacity and capacity before the balance', () => {
    expect(refusal({ planEnabled: false, offered: false, balance: -1 })?.code).toBe('plan-unavailable');
    expect(refusal({ offered: false, hasCapacity: false })?.code).toBe('not-offered');
    expect(refusal({ hasCapacity: false, balance: -1 })?.code).toBe('no-capacity');
    expect(refusal({ hasCapacity: false, creditHours: 1, creditNeeded: 1n })?.code).toBe('no-capacity');
  });

  it('answers 402 only for the balance', () => {
    expect(refusalStatus('negative-balance')).toBe(402);
    expect(refusalStatus('insufficient-credit')).toBe(402);
    expect(refusalStatus('no-capacity')).toBe(409);
    expect(refusalStatus('not-offered')).toBe(409);
  });
});

describe('credit needed to create', () => {
  const credit = (balance: number, creditNeeded: bigint, creditHours = 1) =>
    creditRefusal({ balance, creditNeeded, creditHours, allowCreateOnNegativeBalance: false }, format);

  it('passes a balance that covers exactly what creating needs, and refuses one a micro-credit short', () => {
    expect(credit(6_000_000, 6_000_000n)).toBeNull();
    expect(credit(5_999_999, 6_000_000n)).toMatchObject({ code: 'insufficient-credit', shortfall: 1n });
  });

  it('says how much more credit is needed, in the user’s currency and in credits', () => {
    expect(credit(5_000_000, 8_200_000n, 2)).toEqual({
      code: 'insufficient-credit',
      shortfall: 3_200_000n,
      reason:
        'add $0.03 (3.2 credits) more credit to create this instance: creating needs a balance of 8.2 credits, ' +
        '2 hours of it and of your other instances',
    });
  });

  it('with 0 hours keeps the old rule: any balance from 0 up creates, below 0 does not', () => {
    expect(credit(0, 0n, 0)).toBeNull();
    expect(credit(1, 0n, 0)).toBeNull();
    expect(credit(-1, 0n, 0)?.code).toBe('negative-balance');
  });

  it('still refuses a balance below 0 when what creating needs is nothing (a free plan, nothing else running)', () => {
    expect(credit(-1, 0n, 1)?.code).toBe('negative-balance');
    expect(credit(0, 0n, 1)).toBeNull();
  });

  it('words a negative balance short of the credit as the amount to add', () => {
    expect(credit(-1_000_000, 1_500_000n)).toMatchObject({ code: 'insufficient-credit', shortfall: 2_500_000n });
  });
});
