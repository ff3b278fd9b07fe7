import fc from 'fast-check';
import { usageAdded } from './readings';

describe('usageAdded', () => {
  it('adds a quantity as it is, whatever came before', () => {
    expect(usageAdded({ quantity: 1n, reading: null }, null)).toBe(1n);
    expect(usageAdded({ quantity: 2_500_000n, reading: null }, 9_000_000n)).toBe(2_500_000n);
  });

  it('takes the first reading ever as a baseline that adds nothing', () => {
    expect(usageAdded({ quantity: null, reading: 5_000_000n }, null)).toBe(0n);
  });

  it('adds the difference from the previous reading, 0 for the same one', () => {
    expect(usageAdded({ quantity: null, reading: 7_000_001n }, 5_000_000n)).toBe(2_000_001n);
    expect(usageAdded({ quantity: null, reading: 5_000_000n }, 5_000_000n)).toBe(0n);
  });

  it('reads a reading below the previous one as a counter restarted from 0: it adds the reading itself', () => {
    expect(usageAdded({ quantity: null, reading: 3_000_000n }, 5_000_000n)).toBe(3_000_000n);
    expect(usageAdded({ quantity: null, reading: 0n }, 5_000_000n)).toBe(0n);
  });

  it('adds up a series of readings without resets to the last minus the first', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: 1, maxLength: 30 }), (values) => {
        const readings = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        let previous: bigint | null = null;
        let total = 0n;
        for (const reading of readings) {
          total += usageAdded({ quantity: null, reading }, previous);
          previous = reading;
        }
        expect(total).toBe(readings[readings.length - 1] - readings[0]);
      }),
    );
  });
});
