import { grantBreaches, grantOverdueUpToMs } from './grant-breaches';
import type { GrantMismatch } from './proof.repository';

const at = (iso: string) => Date.parse(iso);

describe('grantOverdueUpToMs', () => {
  it('gives the run after the expiry’s hour its 15 minutes: a 17:30 expiry is overdue from 18:15', () => {
    expect(grantOverdueUpToMs(at('2026-03-10T18:14:59.999Z'))).toBe(at('2026-03-10T17:00:00Z'));
    expect(grantOverdueUpToMs(at('2026-03-10T18:15:00Z'))).toBe(at('2026-03-10T18:00:00Z'));
  });
});

describe('grantBreaches', () => {
  const sound: GrantMismatch = {
    grantId: 7,
    userId: 'u',
    amount: 5_000_000n,
    remaining: 0n,
    drawn: 4_000_000n,
    expired: 1_000_000n,
    hasExpiryEntry: true,
    expiresAtMs: at('2026-03-10T15:30:00Z'),
    closedAtMs: at('2026-03-10T16:01:00Z'),
    overdue: false,
  };

  it('finds nothing wrong with a grant whose parts add up, closed at 0', () => {
    expect(grantBreaches(sound)).toEqual([]);
  });

  it('names each broken rule once', () => {
    const open = { ...sound, closedAtMs: null, remaining: -1_000_000n, overdue: true };
    expect(grantBreaches(open).map((breach) => breach.kind)).toEqual([
      'grant-unbalanced',
      'grant-negative',
      'grant-state',
      'grant-expiry-overdue',
    ]);
  });
});
