import fc from 'fast-check';
import { fits, freeCapacity, NO_RESOURCES, Resources } from './capacity';

const host: Resources = { vcpus: 16, ramMb: 65_536, diskGb: 1_000 };

describe('hypervisor capacity', () => {
  it('is the whole capacity when nothing is allocated', () => {
    expect(freeCapacity(host, NO_RESOURCES)).toEqual(host);
  });

  it('subtracts what instances hold, resource by resource', () => {
    expect(freeCapacity(host, { vcpus: 4, ramMb: 8_192, diskGb: 200 })).toEqual({
      vcpus: 12,
      ramMb: 57_344,
      diskGb: 800,
    });
  });

  it('never reports negative room when a host holds more than it now has', () => {
    expect(freeCapacity(host, { vcpus: 20, ramMb: 1_024, diskGb: 1_500 })).toEqual({
      vcpus: 0,
      ramMb: 64_512,
      diskGb: 0,
    });
  });

  it('fits a plan exactly the size of what is free', () => {
    expect(fits(host, host)).toBe(true);
  });

  it.each([
    ['vCPU', { ...host, vcpus: 17 }],
    ['RAM', { ...host, ramMb: 65_537 }],
    ['disk', { ...host, diskGb: 1_001 }],
  ])('refuses a plan one unit too large in %s', (_resource, plan) => {
    expect(fits(host, plan)).toBe(false);
  });

  it('fits a plan exactly when placing it keeps every resource within capacity', () => {
    const resources = (min: number) =>
      fc.record({
        vcpus: fc.integer({ min, max: 64 }),
        ramMb: fc.integer({ min, max: 1 << 20 }),
        diskGb: fc.integer({ min, max: 10_000 }),
      });
    fc.assert(
      fc.property(resources(0), resources(0), resources(1), (capacity, allocated, plan) => {
        const staysWithin = (['vcpus', 'ramMb', 'diskGb'] as const).every((k) => allocated[k] + plan[k] <= capacity[k]);
        expect(fits(freeCapacity(capacity, allocated), plan)).toBe(staysWithin);
      }),
    );
  });
});
