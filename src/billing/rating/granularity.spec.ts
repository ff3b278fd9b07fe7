import fc from 'fast-check';
import { applyGranularity } from './granularity';
import { BillableState, HourBucket } from './types';

const b = (state: BillableState, seconds: number, planId = 1): HourBucket => ({ planId, state, seconds });
const total = (buckets: HourBucket[]) => buckets.reduce((sum, x) => sum + x.seconds, 0);

describe('applyGranularity', () => {
  it('leaves exact seconds alone at 1 second', () => {
    expect(applyGranularity([b('running', 1), b('stopped', 1799)], 1)).toEqual([b('running', 1), b('stopped', 1799)]);
  });

  it('rounds the hour’s total up and bills the extra in the state the hour ended in', () => {
    expect(applyGranularity([b('running', 1200), b('stopped', 1201)], 60)).toEqual([
      b('running', 1200),
      b('stopped', 1260),
    ]);
    // Rounding each state separately would have billed 1260 + 1260.
    expect(total(applyGranularity([b('running', 1201), b('stopped', 1201)], 60))).toBe(2460);
  });

  it('bills every started hour in full at 3600', () => {
    expect(applyGranularity([b('running', 1)], 3600)).toEqual([b('running', 3600)]);
    expect(applyGranularity([b('running', 3600)], 3600)).toEqual([b('running', 3600)]);
    expect(applyGranularity([b('running', 10, 1), b('running', 5, 2)], 3600)).toEqual([
      b('running', 10, 1),
      b('running', 3590, 2),
    ]);
  });

  it('never goes past the hour when the granularity does not divide it', () => {
    expect(total(applyGranularity([b('running', 3597)], 7))).toBe(3598);
    expect(total(applyGranularity([b('running', 3599)], 7))).toBe(3600);
    expect(total(applyGranularity([b('running', 3599)], 900))).toBe(3600);
  });

  it('keeps an empty hour empty', () => {
    expect(applyGranularity([], 3600)).toEqual([]);
    expect(applyGranularity([b('running', 0)], 3600)).toEqual([b('running', 0)]);
  });

  it('does not change its input', () => {
    const input = [b('running', 10)];
    applyGranularity(input, 60);
    expect(input).toEqual([b('running', 10)]);
  });

  it('refuses invalid granularity and impossible buckets', () => {
    for (const g of [0, 3601, 1.5, NaN, -60]) expect(() => applyGranularity([b('running', 1)], g)).toThrow(RangeError);
    expect(() => applyGranularity([b('running', -1)], 60)).toThrow(RangeError);
    expect(() => applyGranularity([b('running', 0.5)], 60)).toThrow(RangeError);
    expect(() => applyGranularity([b('running', 1800), b('stopped', 1801)], 60)).toThrow(/3601/);
  });

  it('bills a multiple of the granularity (or the full hour), at least the exact seconds and less than one step more', () => {
    const buckets = fc
      .array(fc.integer({ min: 0, max: 3600 }), { minLength: 1, maxLength: 4 })
      .filter((xs) => xs.reduce((s, x) => s + x, 0) <= 3600)
      .map((xs) => xs.map((seconds, i) => b((['running', 'stopped', 'suspended'] as const)[i % 3], seconds, i)));
    fc.assert(
      fc.property(buckets, fc.integer({ min: 1, max: 3600 }), (input, g) => {
        const exact = total(input);
        const result = applyGranularity(input, g);
        const billed = total(result);
        expect(billed).toBeLessThanOrEqual(3600);
        expect(billed).toBeGreaterThanOrEqual(exact);
        expect(billed - exact).toBeLessThan(g);
        if (exact === 0) expect(billed).toBe(0);
        else expect(billed === 3600 || billed % g === 0).toBe(true);
        // Only the last bucket grows.
        expect(result.slice(0, -1)).toEqual(input.slice(0, -1));
      }),
    );
  });
});
