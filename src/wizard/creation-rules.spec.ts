import { CreationFacts, creationRefusal, refusalStatus } from './creation-rules';

const allowed: CreationFacts = {
  planName: 'C2',
  planEnabled: true,
  locationName: 'Frankfurt',
  locationEnabled: true,
  offered: true,
  hasCapacity: true,
  balance: 0,
  allowCreateOnNegativeBalance: false,
};
const format = (micros: number) => `${micros / 1_000_000} credits`;
const refusal = (changes: Partial<CreationFacts>) => creationRefusal({ ...allowed, ...changes }, format);

describe('whether a user may create an instance', () => {
  it('allows a balance of exactly zero', () => {
    expect(refusal({})).toBeNull();
  });

  it.each([
    [{ planEnabled: false }, 'plan-unavailable', 'C2 is not available at the moment'],
    [{ locationEnabled: false }, 'location-unavailable', 'Frankfurt is not available at the moment'],
    [{ offered: false }, 'not-offered', 'C2 is not offered in Frankfurt'],
    [{ hasCapacity: false }, 'no-capacity', 'no capacity in Frankfurt for C2'],
    [{ balance: -1_500_000 }, 'negative-balance', 'your balance is negative (-1.5 credits); top up before creating'],
  ])('refuses %j as %s, saying why', (changes, code, reason) => {
    expect(refusal(changes)).toEqual({ code, reason: expect.stringContaining(reason) });
  });

  it('lets a negative balance create when the admin allows it', () => {
    expect(refusal({ balance: -1, allowCreateOnNegativeBalance: true })).toBeNull();
  });

  it('names the catalog reason before capacity and capacity before the balance', () => {
    expect(refusal({ planEnabled: false, offered: false, balance: -1 })?.code).toBe('plan-unavailable');
    expect(refusal({ offered: false, hasCapacity: false })?.code).toBe('not-offered');
    expect(refusal({ hasCapacity: false, balance: -1 })?.code).toBe('no-capacity');
  });

  it('answers 402 only for the balance', () => {
    expect(refusalStatus('negative-balance')).toBe(402);
    expect(refusalStatus('no-capacity')).toBe(409);
    expect(refusalStatus('not-offered')).toBe(409);
  });
});
