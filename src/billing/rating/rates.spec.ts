import { hasMonthlyCap, hourlyRateFor, isMonthlyOnly } from './rates';
import { plan } from './pricing.fixture';

describe('hourlyRateFor', () => {
  it('charges the hourly price while running, nothing on a monthly-only plan', () => {
    expect(hourlyRateFor(plan({ hourlyPrice: 1_500_000 }), 'running')).toBe(1_500_000);
    expect(hourlyRateFor(plan({ monthlyPrice: 10_000_000 }), 'running')).toBe(0);
  });

  it('charges the running rate while stopped unless the plan sets a stopped rate', () => {
    expect(hourlyRateFor(plan({ hourlyPrice: 1_500_000 }), 'stopped')).toBe(1_500_000);
    expect(hourlyRateFor(plan({ hourlyPrice: 1_500_000, stoppedHourlyPrice: 200_000 }), 'stopped')).toBe(200_000);
    expect(hourlyRateFor(plan({ hourlyPrice: 1_500_000, stoppedHourlyPrice: 0 }), 'stopped')).toBe(0);
    expect(hourlyRateFor(plan({ monthlyPrice: 10_000_000 }), 'stopped')).toBe(0);
  });

  it('charges nothing while suspended unless the plan sets a suspended rate', () => {
    expect(hourlyRateFor(plan({ hourlyPrice: 1_500_000 }), 'suspended')).toBe(0);
    expect(hourlyRateFor(plan({ hourlyPrice: 1_500_000, suspendedHourlyPrice: 100_000 }), 'suspended')).toBe(100_000);
  });

  it('refuses a price that is not a whole, non-negative number of micro-credits', () => {
    expect(() => hourlyRateFor(plan({ hourlyPrice: -1 }), 'running')).toThrow(RangeError);
    expect(() => hourlyRateFor(plan({ hourlyPrice: 1.5 }), 'running')).toThrow(RangeError);
    expect(() => hourlyRateFor(plan({ hourlyPrice: 1, stoppedHourlyPrice: -5 }), 'stopped')).toThrow(RangeError);
  });
});

describe('pricing kinds', () => {
  it('tells capped, monthly-only and hourly-only plans apart', () => {
    const both = plan({ hourlyPrice: 1, monthlyPrice: 500 });
    const monthly = plan({ monthlyPrice: 500 });
    const hourly = plan({ hourlyPrice: 1 });
    expect([hasMonthlyCap(both), hasMonthlyCap(monthly), hasMonthlyCap(hourly)]).toEqual([true, false, false]);
    expect([isMonthlyOnly(both), isMonthlyOnly(monthly), isMonthlyOnly(hourly)]).toEqual([false, true, false]);
    expect(hasMonthlyCap(plan({ hourlyPrice: 0, monthlyPrice: 0 }))).toBe(true);
  });
});
