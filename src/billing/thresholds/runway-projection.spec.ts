import fc from 'fast-check';
import { at, plan } from '../rating/pricing.fixture';
import { HOUR_MS } from '../rating';
import type { BillableState } from '../rating';
import { burnRatePerHour, costProfile, InstanceCost, instancesPerHour, LiveCosts } from './burn-rate';
import { projectRunway, RUNWAY_HORIZON_HOURS, RunwayInput } from './runway-projection';

const C = 1_000_000;
const hourly = (rate: number, chargedThisMonth = 0): InstanceCost => ({
  plan: plan({ hourlyPrice: rate }),
  state: 'running',
  chargedThisMonth,
});
const capped = (rate: number, cap: number, chargedThisMonth = 0): InstanceCost => ({
  plan: plan({ hourlyPrice: rate, monthlyPrice: cap }),
  state: 'running',
  chargedThisMonth,
});
const monthlyOnly = (price: number): InstanceCost => ({
  plan: plan({ monthlyPrice: price }),
  state: 'running',
  chargedThisMonth: price,
});
const input = (overrides: Partial<RunwayInput>): RunwayInput => ({
  balance: 0,
  suspensionThreshold: 0,
  now: at('2026-03-10T12:00:00Z'),
  timeZone: 'UTC',
  instances: [],
  meteredPerHour: 0,
  ...overrides,
});
const live = (instances: InstanceCost[], rulesPerHour = 0, countersPerHour = 0): LiveCosts => ({
  instances,
  rulesPerHour,
  countersPerHour,
  counterReports: 0,
});
/** Hours from 2026-03-10T12:00Z to the first hour of April (UTC). */
const HOURS_TO_APRIL = 21 * 24 + 12;

describe('burnRatePerHour', () => {
  it('is the hourly rate of each instance in its state, and 0 for monthly-only plans', () => {
    const stopped: InstanceCost = { ...hourly(4 * C), state: 'stopped' };
    const suspended: InstanceCost = { ...hourly(4 * C), state: 'suspended' };
    expect(burnRatePerHour(live([hourly(4 * C), stopped, suspended, monthlyOnly(100 * C)]))).toBe(8 * C);
  });

  it('adds the rules and the counters estimate to the instances, whatever their caps', () => {
    expect(burnRatePerHour(live([capped(4 * C, 100 * C, 100 * C)], C / 2, C / 4))).toBe(0.75 * C);
    expect(burnRatePerHour(live([hourly(2 * C)], C / 2, C / 4))).toBe(2.75 * C);
  });

  it('is what is left of the cap close to it, and 0 at it', () => {
    expect(instancesPerHour([capped(4 * C, 100 * C, 97 * C)])).toBe(3 * C);
    expect(instancesPerHour([capped(4 * C, 100 * C, 100 * C)])).toBe(0);
    expect(instancesPerHour([capped(4 * C, 100 * C, 96 * C)])).toBe(4 * C);
  });

  it('refuses a charge that is not whole micro-credits', () => {
    expect(() => costProfile(capped(4, 100, 0.5))).toThrow(RangeError);
  });
});

describe('projectRunway', () => {
  it('is the balance above the threshold over the rate, when nothing is capped', () => {
    const runway = projectRunway(input({ balance: 30 * C, suspensionThreshold: -5 * C, instances: [hourly(4 * C)] }));
    expect(runway).toEqual({ hours: 8.75, outlastsHorizon: false });
  });

  it('is null when nothing costs anything, even below the threshold', () => {
    const free: InstanceCost = { ...hourly(4 * C), state: 'suspended' };
    expect(projectRunway(input({ balance: 10 * C, instances: [] }))).toEqual({ hours: null, outlastsHorizon: false });
    expect(projectRunway(input({ balance: -10 * C, instances: [free, capped(C, 0)] }))).toEqual({
      hours: null,
      outlastsHorizon: false,
    });
  });

  it('is 0 once the balance is below the threshold and something costs', () => {
    expect(projectRunway(input({ balance: -1, instances: [hourly(C)] })).hours).toBe(0);
    expect(projectRunway(input({ balance: 0, instances: [hourly(C)] })).hours).toBe(0);
  });

  it('waits for the month to turn while an instance is at its cap', () => {
    const runway = projectRunway(
      input({ balance: 30 * C, suspensionThreshold: -5 * C, instances: [capped(4 * C, 100 * C, 100 * C)] }),
    );
    expect(runway.hours).toBe(HOURS_TO_APRIL + 8.75);
  });

  it('spends only what is left of the cap, then resumes in the next month', () => {
    // 3 left of the cap: 0.75 h at 4/h, then nothing until April, where 35 − 3 = 32 lasts 8 hours.
    const runway = projectRunway(
      input({ balance: 30 * C, suspensionThreshold: -5 * C, instances: [capped(4 * C, 100 * C, 97 * C)] }),
    );
    expect(runway.hours).toBe(HOURS_TO_APRIL + 8);
  });

  it('lets the capped instance stop while another keeps spending', () => {
    // Together 6/h until the cap's 2 credits are used (1 h), then 2/h: (20 − 6) / 2 = 7 more hours.
    const runway = projectRunway(input({ balance: 20 * C, instances: [capped(4 * C, 10 * C, 6 * C), hourly(2 * C)] }));
    expect(runway.hours).toBe(8);
  });

  it('charges a monthly-only plan its month up front when the month turns', () => {
    const runway = projectRunway(input({ balance: 50 * C, instances: [monthlyOnly(50 * C), hourly(C / 1000)] }));
    // 50 credits less 0.001/h until April, then 50 more at once: the balance falls below 0 at the turn.
    expect(runway.hours).toBe(HOURS_TO_APRIL);
    expect(projectRunway(input({ balance: 48 * C, instances: [monthlyOnly(49 * C)] })).hours).toBe(HOURS_TO_APRIL);
    // Exactly at the threshold is not below it; the next month's charge is.
    expect(projectRunway(input({ balance: 50 * C, instances: [monthlyOnly(50 * C)] })).hours).toBe(
      HOURS_TO_APRIL + 30 * 24,
    );
  });

  it('outlasts the horizon when the cap keeps the spend low', () => {
    const runway = projectRunway(input({ balance: 2000 * C, instances: [capped(4 * C, 100 * C, 100 * C)] }));
    expect(runway).toEqual({ hours: null, outlastsHorizon: true });
    const justInside = projectRunway(input({ balance: 1199 * C, instances: [capped(4 * C, 100 * C, 100 * C)] }));
    expect(justInside.hours).toBeLessThanOrEqual(RUNWAY_HORIZON_HOURS);
  });

  it('turns months in the billing time zone, at the first whole hour of the new month', () => {
    // In Asia/Kolkata (+05:30) April begins at 2026-03-31T18:30Z; the hour from 18:00 is still March's.
    const now = at('2026-03-31T17:00:00Z');
    const runway = projectRunway(
      input({ now, timeZone: 'Asia/Kolkata', balance: 2 * C, instances: [capped(4 * C, 100 * C, 100 * C)] }),
    );
    expect(runway.hours).toBe(2 + 0.5);
    // In UTC the month is still March for another 7 hours.
    expect(projectRunway(input({ now, balance: 2 * C, instances: [capped(4 * C, 100 * C, 100 * C)] })).hours).toBe(7.5);
  });

  it('spends rules and counters evenly, through a capped instance and the turn of the month', () => {
    // At the cap until April: only the 0.5 an hour of rules and counters spends the 35 above -5.
    const runway = projectRunway(
      input({
        balance: 30 * C,
        suspensionThreshold: -5 * C,
        instances: [capped(4 * C, 100 * C, 100 * C)],
        meteredPerHour: C / 2,
      }),
    );
    expect(runway).toEqual({ hours: 70, outlastsHorizon: false });
    // Nothing but rules and counters: a runway all the same.
    expect(projectRunway(input({ balance: 10 * C, meteredPerHour: 2 * C })).hours).toBe(5);
  });

  it('refuses rules and counters that are not whole micro-credits an hour', () => {
    expect(() => projectRunway(input({ balance: C, meteredPerHour: 0.5 }))).toThrow(RangeError);
  });

  it('stays exact with amounts beyond float precision', () => {
    const big = 2 ** 52;
    const runway = projectRunway(input({ balance: big, suspensionThreshold: -big, instances: [hourly(big)] }));
    expect(runway.hours).toBe(2);
  });
});

describe('projectRunway properties', () => {
  const stateArb = fc.constantFrom<BillableState>('running', 'stopped', 'suspended');
  const costArb: fc.Arbitrary<InstanceCost> = fc.oneof(
    fc.record({ rate: fc.integer({ min: 0, max: 10 * C }), state: stateArb }).map(({ rate, state }) => ({
      ...hourly(rate),
      state,
    })),
    fc
      .record({ rate: fc.integer({ min: 0, max: 10 * C }), cap: fc.integer({ min: 0, max: 500 * C }), used: fc.nat() })
      .map(({ rate, cap, used }) => capped(rate, cap, cap === 0 ? 0 : used % (cap + 1))),
    fc.integer({ min: 0, max: 300 * C }).map(monthlyOnly),
  );
  const hourArb = fc.integer({ min: 0, max: 24 * 365 }).map((h) => new Date(Date.UTC(2026, 0, 1) + h * HOUR_MS));
  const inputArb = fc.record({
    balance: fc.integer({ min: -50 * C, max: 3000 * C }),
    suspensionThreshold: fc.integer({ min: -50 * C, max: 0 }),
    now: hourArb,
    timeZone: fc.constant('UTC'),
    instances: fc.array(costArb, { maxLength: 4 }),
    meteredPerHour: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * C })),
  });

  /** The reference: hour by hour, each hour's charges at its end, month-firsts charging monthly-only plans first. */
  function exhaustedByHour(run: RunwayInput): number | null {
    let headroom = run.balance - run.suspensionThreshold;
    const caps = run.instances.map((cost) => costProfile(cost).capLeft);
    let month = run.now.getUTCMonth();
    for (let hour = 0; hour <= RUNWAY_HORIZON_HOURS; hour++) {
      const start = new Date(run.now.getTime() + hour * HOUR_MS);
      if (start.getUTCMonth() !== month) {
        month = start.getUTCMonth();
        run.instances.forEach((cost, i) => {
          caps[i] = costProfile({ ...cost, chargedThisMonth: 0 }).capLeft;
          if (cost.plan.hourlyPrice === null) headroom -= cost.plan.monthlyPrice ?? 0;
        });
        if (headroom < 0) return hour;
      }
      run.instances.forEach((cost, i) => {
        const { rate } = costProfile(cost);
        const charge = caps[i] === null ? rate : Math.min(rate, caps[i] as number);
        if (caps[i] !== null) caps[i] = (caps[i] as number) - charge;
        headroom -= charge;
      });
      headroom -= run.meteredPerHour;
      if (headroom < 0) return hour + 1;
    }
    return null;
  }

  it('runs out within the hour the hour-by-hour reference runs out in', () => {
    fc.assert(
      fc.property(inputArb, (run) => {
        const projected = projectRunway(run);
        const reference = exhaustedByHour(run);
        if (run.balance < run.suspensionThreshold) {
          expect([0, null]).toContain(projected.hours);
        } else if (reference === null || reference > RUNWAY_HORIZON_HOURS) {
          expect(projected.hours === null || projected.hours >= RUNWAY_HORIZON_HOURS - 1).toBe(true);
        } else {
          expect(projected.hours).not.toBeNull();
          // Spent evenly within an hour, the projection crosses during the hour whose charge crosses.
          expect(projected.hours as number).toBeGreaterThan(reference - 1 - 1e-6);
          expect(projected.hours as number).toBeLessThanOrEqual(reference);
        }
      }),
    );
  });

  it('never runs out sooner with more credit, nor later with one more instance', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 0, max: 100 * C }), costArb, (run, extra, another) => {
        const base = projectRunway(run).hours ?? Infinity;
        expect(projectRunway({ ...run, balance: run.balance + extra }).hours ?? Infinity).toBeGreaterThanOrEqual(base);
        expect(projectRunway({ ...run, instances: [...run.instances, another] }).hours ?? Infinity).toBeLessThanOrEqual(
          base,
        );
        expect(
          projectRunway({ ...run, meteredPerHour: run.meteredPerHour + extra }).hours ?? Infinity,
        ).toBeLessThanOrEqual(base);
      }),
    );
  });

  it('is the plain linear runway when no plan has a monthly price', () => {
    fc.assert(
      fc.property(inputArb, (run) => {
        const hourlyOnly = run.instances.filter((cost) => cost.plan.monthlyPrice === null);
        const rate = burnRatePerHour(live(hourlyOnly, run.meteredPerHour));
        const headroom = run.balance - run.suspensionThreshold;
        const projected = projectRunway({ ...run, instances: hourlyOnly }).hours;
        if (rate === 0) expect(projected).toBeNull();
        else if (headroom / rate < RUNWAY_HORIZON_HOURS) expect(projected).toBeCloseTo(Math.max(0, headroom / rate), 9);
      }),
    );
  });
});
