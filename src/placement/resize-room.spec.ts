import type { Resources } from '../catalog/capacity';
import { hasRoomToResize } from './resize-room';

const r = (vcpus: number, ramMb: number, diskGb: number): Resources => ({ vcpus, ramMb, diskGb });

describe('room to resize in place', () => {
  const capacity = r(8, 8192, 200);
  const small = r(2, 2048, 50);
  const large = r(4, 4096, 100);

  it('grows when the hypervisor has the difference free', () => {
    // 6 vCPU held with the instance's 2: growing it to 4 makes 8 of 8.
    expect(hasRoomToResize(capacity, r(6, 6144, 150), small, large)).toBe(true);
  });

  it('refuses to grow past the capacity in any one resource', () => {
    expect(hasRoomToResize(capacity, r(7, 2048, 50), small, large)).toBe(false);
    expect(hasRoomToResize(capacity, r(2, 6145, 50), small, large)).toBe(false);
    expect(hasRoomToResize(capacity, r(2, 2048, 151), small, large)).toBe(false);
  });

  it('always lets an instance shrink, even on a host that is over-full or no longer reported', () => {
    expect(hasRoomToResize(r(0, 0, 0), r(4, 4096, 100), large, small)).toBe(true);
    expect(hasRoomToResize(r(2, 2048, 50), r(10, 10_000, 500), large, small)).toBe(true);
  });

  it('checks each resource on its own when a plan grows in one and shrinks in another', () => {
    const moreCpuLessDisk = r(4, 2048, 10);
    expect(hasRoomToResize(capacity, r(8, 2048, 200), small, moreCpuLessDisk)).toBe(false);
    expect(hasRoomToResize(capacity, r(6, 8192, 200), small, moreCpuLessDisk)).toBe(true);
  });
});
