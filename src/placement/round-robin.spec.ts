import fc from 'fast-check';
import type { Resources } from '../catalog/capacity';
import { PlacementCandidate, pickHypervisor, placeInTurn, tryOrder } from './round-robin';

const small: Resources = { vcpus: 2, ramMb: 2048, diskGb: 40 };
const room = (slots: number): Resources => ({ vcpus: 2 * slots, ramMb: 2048 * slots, diskGb: 40 * slots });
const member = (hypervisorId: string, extra: Partial<PlacementCandidate> = {}): PlacementCandidate => ({
  hypervisorId,
  enabled: true,
  online: true,
  free: room(4),
  ...extra,
});

describe('round-robin placement', () => {
  const members = ['a', 'b', 'c', 'd'].map((id) => member(id));

  it('tries the member after the cursor first and wraps round', () => {
    expect(tryOrder(members, 'b').map((m) => m.hypervisorId)).toEqual(['c', 'd', 'a', 'b']);
    expect(tryOrder(members, 'd').map((m) => m.hypervisorId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('starts from the top without a cursor or when the cursor left the location', () => {
    expect(tryOrder(members, null).map((m) => m.hypervisorId)).toEqual(['a', 'b', 'c', 'd']);
    expect(tryOrder(members, 'gone').map((m) => m.hypervisorId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('skips disabled, offline and full members', () => {
    const fleet = [
      member('a'),
      member('b', { enabled: false }),
      member('c', { online: false }),
      member('d', { free: { ...room(4), ramMb: 2047 } }),
      member('e'),
    ];
    expect(pickHypervisor(fleet, 'a', small)?.hypervisorId).toBe('e');
    expect(pickHypervisor(fleet, 'e', small)?.hypervisorId).toBe('a');
  });

  it('comes back to the cursor itself when it is the only one with room', () => {
    const fleet = [member('a'), member('b', { free: room(0) })];
    expect(pickHypervisor(fleet, 'a', small)?.hypervisorId).toBe('a');
  });

  it('finds nothing when no member fits', () => {
    expect(pickHypervisor([member('a', { free: room(0) }), member('b', { enabled: false })], null, small)).toBeNull();
    expect(pickHypervisor([], null, small)).toBeNull();
  });

  it('spreads placements evenly: counts differ by at most one while every member has room', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 60 }), (size, placements) => {
        const fleet = Array.from({ length: size }, (_, i) => member(`hv-${i}`, { free: room(100) }));
        const counts = new Map<string, number>();
        let cursor: string | null = null;
        for (let i = 0; i < placements; i++) {
          const chosen = pickHypervisor(fleet, cursor, small) as PlacementCandidate;
          counts.set(chosen.hypervisorId, (counts.get(chosen.hypervisorId) ?? 0) + 1);
          cursor = chosen.hypervisorId;
        }
        const all = fleet.map((m) => counts.get(m.hypervisorId) ?? 0);
        expect(Math.max(...all) - Math.min(...all)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('places a batch as one placement after another, each taking its room before the next', () => {
    const fleet = [member('a', { free: room(1) }), member('b', { free: room(2) }), member('c', { free: room(0) })];
    const plans = [small, small, small, small];
    expect(placeInTurn(fleet, 'c', plans)).toEqual({ picks: ['a', 'b', 'b', null], cursor: 'b' });
    // The members' own figures are left as they were.
    expect(fleet[0].free).toEqual(room(1));
  });

  it('keeps the cursor where it was when nothing in a batch fits', () => {
    expect(placeInTurn([member('a', { free: room(0) })], 'a', [small])).toEqual({ picks: [null], cursor: 'a' });
  });
});
