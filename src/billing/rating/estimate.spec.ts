import { ESTIMATE_HOURS_PER_MONTH, estimateCosts, remainingMonthEstimate } from './estimate';
import { at, plan } from './pricing.fixture';

describe('estimateCosts', () => {
  it('uses a 730-hour month, a twelfth of 8760 hours', () => {
    expect(ESTIMATE_HOURS_PER_MONTH).toBe(8760 / 12);
  });

  it('adds up hours for an hourly-only plan', () => {
    expect(estimateCosts(plan({ hourlyPrice: 10_000 }))).toEqual({
      hourly: 10_000,
      daily: 240_000,
      monthly: 7_300_000,
      monthlyCap: null,
    });
  });

  it('caps the month (and a day) at the monthly price when the plan has both', () => {
    expect(estimateCosts(plan({ hourlyPrice: 10_000, monthlyPrice: 5_000_000 }))).toEqual({
      hourly: 10_000,
      daily: 240_000,
      monthly: 5_000_000,
      monthlyCap: 5_000_000,
    });
    expect(estimateCosts(plan({ hourlyPrice: 10_000, monthlyPrice: 200_000 })).daily).toBe(200_000);
    expect(estimateCosts(plan({ hourlyPrice: 10_000, monthlyPrice: 9_000_000 })).monthly).toBe(7_300_000);
  });

  it('spreads a monthly-only price over the estimate month, rounding each figure once', () => {
    expect(estimateCosts(plan({ monthlyPrice: 7_300_000 }))).toEqual({
      hourly: 10_000,
      daily: 240_000,
      monthly: 7_300_000,
      monthlyCap: null,
    });
    // 1 credit / 730 = 1369.86 → 1370 an hour; a day is 32 876.7 → 32 877, not 24 × 1370 = 32 880.
    expect(estimateCosts(plan({ monthlyPrice: 1_000_000 }))).toEqual({
      hourly: 1370,
      daily: 32_877,
      monthly: 1_000_000,
      monthlyCap: null,
    });
  });

  it('takes another month length when asked', () => {
    expect(estimateCosts(plan({ hourlyPrice: 10_000 }), 720).monthly).toBe(7_200_000);
    expect(estimateCosts(plan({ monthlyPrice: 7_200_000 }), 720).hourly).toBe(10_000);
    expect(() => estimateCosts(plan({ hourlyPrice: 1 }), 0)).toThrow(RangeError);
    expect(() => estimateCosts(plan({ hourlyPrice: 1 }), 730.5)).toThrow(RangeError);
  });

  it('shows a plan without prices as free', () => {
    expect(estimateCosts(plan({}))).toEqual({ hourly: 0, daily: 0, monthly: 0, monthlyCap: null });
  });
});

describe('remainingMonthEstimate', () => {
  const hourly = plan({ hourlyPrice: 3_600_000 });
  const both = plan({ hourlyPrice: 10_000, monthlyPrice: 5_000_000 });

  it('prices the exact seconds left in the month', () => {
    expect(remainingMonthEstimate(hourly, at('2026-04-30T23:00:00Z'), 'UTC')).toBe(3_600_000);
    expect(remainingMonthEstimate(hourly, at('2026-04-30T23:30:00Z'), 'UTC')).toBe(1_800_000);
    expect(remainingMonthEstimate(hourly, at('2026-04-30T23:59:59Z'), 'UTC')).toBe(1000);
  });

  it('follows the billing time zone', () => {
    // 21:00 UTC on 31 March is the last hour of March in Berlin, but three hours remain in UTC.
    expect(remainingMonthEstimate(both, at('2026-03-31T21:00:00Z'), 'Europe/Berlin')).toBe(10_000);
    expect(remainingMonthEstimate(both, at('2026-03-31T21:00:00Z'), 'UTC')).toBe(30_000);
  });

  it('applies the monthly cap to what is left of it', () => {
    expect(remainingMonthEstimate(both, at('2026-04-01T00:00:00Z'), 'UTC')).toBe(5_000_000); // 720 h would be 7.2 credits
    expect(remainingMonthEstimate(both, at('2026-04-01T00:00:00Z'), 'UTC', 4_900_000)).toBe(100_000);
    expect(remainingMonthEstimate(both, at('2026-04-01T00:00:00Z'), 'UTC', 6_000_000)).toBe(0);
    expect(remainingMonthEstimate(hourly, at('2026-04-30T23:00:00Z'), 'UTC', 10 ** 12)).toBe(3_600_000);
  });

  it('quotes a monthly-only plan as its prorated up-front charge, less what the month already paid', () => {
    const monthly = plan({ monthlyPrice: 30_000_000 });
    expect(remainingMonthEstimate(monthly, at('2026-04-16T00:00:00Z'), 'UTC')).toBe(15_000_000);
    expect(remainingMonthEstimate(monthly, at('2026-04-16T00:00:00Z'), 'UTC', 10_000_000)).toBe(5_000_000);
    expect(remainingMonthEstimate(monthly, at('2026-04-16T00:00:00Z'), 'UTC', 30_000_000)).toBe(0);
  });

  it('refuses a negative amount already charged', () => {
    expect(() => remainingMonthEstimate(hourly, at('2026-04-16T00:00:00Z'), 'UTC', -1)).toThrow(RangeError);
  });
});
