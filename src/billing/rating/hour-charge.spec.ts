import fc from 'fast-check';
import { chargeForHour } from './hour-charge';
import { BillableState, HourBucket, PlanPricing } from './types';

const plan = (planId: number, prices: Partial<PlanPricing>): PlanPricing => ({
  planId,
  hourlyPrice: null,
  monthlyPrice: null,
  stoppedHourlyPrice: null,
  suspendedHourlyPrice: null,
  ...prices,
});
const b = (state: BillableState, seconds: number, planId = 1): HourBucket => ({ planId, state, seconds });
const plans = (...list: PlanPricing[]) => new Map(list.map((p) => [p.planId, p]));
const none = new Map<number, number>();

describe('chargeForHour', () => {
  const onePointFive = plans(plan(1, { hourlyPrice: 1_500_000 }));

  it('rounds a single second once: 1.5 credits an hour for 1 second is 417 micro-credits', () => {
    const [row] = chargeForHour([b('running', 1)], onePointFive, none);
    expect(row).toEqual({
      planId: 1,
      seconds: { running: 1, stopped: 0, suspended: 0 },
      rates: { running: 1_500_000, stopped: 1_500_000, suspended: 0 },
      exactCharge: '1500000/3600',
      uncappedCharge: 417,
      charge: 417,
      capped: false,
    });
  });

  it('charges a full hour at exactly the hourly price', () => {
    expect(chargeForHour([b('running', 3600)], onePointFive, none)[0].charge).toBe(1_500_000);
  });

  it('adds the states up before rounding, not after', () => {
    // 416.67 + 416.67 = 833.33 → 833; rounding each state first would give 834.
    const [row] = chargeForHour([b('running', 1), b('stopped', 1)], onePointFive, none);
    expect(row.exactCharge).toBe('3000000/3600');
    expect(row.charge).toBe(833);
  });

  it('rounds half away from zero', () => {
    const tiny = plans(plan(1, { hourlyPrice: 1 }));
    expect(chargeForHour([b('running', 1800)], tiny, none)[0].charge).toBe(1);
    expect(chargeForHour([b('running', 1799)], tiny, none)[0].charge).toBe(0);
  });

  it('prices each state at its own rate', () => {
    const p = plans(plan(1, { hourlyPrice: 1_000_000, stoppedHourlyPrice: 200_000, suspendedHourlyPrice: 50_000 }));
    const [row] = chargeForHour([b('running', 1800), b('stopped', 1200), b('suspended', 600)], p, none);
    expect(row.seconds).toEqual({ running: 1800, stopped: 1200, suspended: 600 });
    // Half an hour at 1 credit, a third at 0.2, a sixth at 0.05: 0.5 + 0.0666… + 0.0083… = 0.575 credits.
    expect(row.exactCharge).toBe(`${1800 * 1_000_000 + 1200 * 200_000 + 600 * 50_000}/3600`);
    expect(row.charge).toBe(575_000);
  });

  it('still records an hour that costs nothing', () => {
    const [row] = chargeForHour([b('suspended', 3600)], onePointFive, none);
    expect(row).toMatchObject({ planId: 1, charge: 0, capped: false, exactCharge: '0/3600' });
  });

  describe('monthly cap', () => {
    const capped = plans(plan(1, { hourlyPrice: 10_000, monthlyPrice: 100_000 }));

    it('charges in full below the cap', () => {
      expect(chargeForHour([b('running', 3600)], capped, new Map([[1, 0]]))[0]).toMatchObject({
        charge: 10_000,
        capped: false,
      });
      expect(chargeForHour([b('running', 3600)], capped, new Map([[1, 90_000]]))[0]).toMatchObject({
        charge: 10_000,
        capped: false,
      });
    });

    it('charges only what is left of the monthly price', () => {
      expect(chargeForHour([b('running', 3600)], capped, new Map([[1, 95_000]]))[0]).toMatchObject({
        uncappedCharge: 10_000,
        charge: 5000,
        capped: true,
      });
      expect(chargeForHour([b('running', 3600)], capped, new Map([[1, 100_000]]))[0].charge).toBe(0);
      expect(chargeForHour([b('running', 3600)], capped, new Map([[1, 250_000]]))[0].charge).toBe(0);
    });

    it('does not cap an hourly-only plan', () => {
      const hourly = plans(plan(1, { hourlyPrice: 10_000 }));
      expect(chargeForHour([b('running', 3600)], hourly, new Map([[1, 10 ** 12]]))[0]).toMatchObject({
        charge: 10_000,
        capped: false,
      });
    });

    it('keeps each plan’s cap apart when an instance was resized within the hour', () => {
      const p = plans(
        plan(1, { hourlyPrice: 10_000, monthlyPrice: 100_000 }),
        plan(2, { hourlyPrice: 20_000, monthlyPrice: 1_000_000 }),
      );
      const rows = chargeForHour([b('running', 1800, 1), b('running', 1800, 2)], p, new Map([[1, 98_000]]));
      expect(rows.map((r) => [r.planId, r.charge, r.capped])).toEqual([
        [1, 2000, true],
        [2, 10_000, false],
      ]);
    });

    it('never charges more than the monthly price over a month, and exactly the hours until then', () => {
      const hour = fc.array(
        fc.record({
          state: fc.constantFrom<BillableState>('running', 'stopped', 'suspended'),
          seconds: fc.integer({ min: 0, max: 1200 }),
        }),
        { maxLength: 3 },
      );
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 5_000_000 }),
          fc.integer({ min: 0, max: 50_000_000 }),
          fc.array(hour, { maxLength: 60 }),
          (hourly, monthly, hours) => {
            const p = plans(plan(1, { hourlyPrice: hourly, monthlyPrice: monthly, suspendedHourlyPrice: 7 }));
            let charged = 0;
            let uncapped = 0;
            for (const buckets of hours) {
              const rows = chargeForHour(
                buckets.map((x) => b(x.state, x.seconds)),
                p,
                new Map([[1, charged]]),
              );
              for (const row of rows) {
                charged += row.charge;
                uncapped += row.uncappedCharge;
                expect(row.capped).toBe(row.charge < row.uncappedCharge);
              }
              expect(charged).toBeLessThanOrEqual(monthly);
              expect(charged).toBe(Math.min(uncapped, monthly));
            }
          },
        ),
      );
    });
  });

  it('lands within half a micro-credit of the exact charge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 10 ** 12 }), (seconds, rate) => {
        const [row] = chargeForHour([b('running', seconds)], plans(plan(1, { hourlyPrice: rate })), none);
        const error = BigInt(row.charge) * 3600n - BigInt(seconds) * BigInt(rate);
        expect(2n * (error < 0n ? -error : error)).toBeLessThanOrEqual(3600n);
      }),
    );
  });

  it('refuses a plan it has no pricing for', () => {
    expect(() => chargeForHour([b('running', 1, 9)], onePointFive, none)).toThrow(/plan 9/);
  });
});
