import fc from 'fast-check';
import { monthWindow } from './month-window';
import { secondsLeftInMonth, upFrontMonthlyCharge } from './monthly';
import { at, plan } from './pricing.fixture';

describe('secondsLeftInMonth', () => {
  it('counts the seconds from an instant to its month’s end', () => {
    expect(secondsLeftInMonth(at('2026-04-16T00:00:00Z'), 'UTC')).toEqual({ left: 15 * 86400, month: 30 * 86400 });
    expect(secondsLeftInMonth(at('2026-03-31T21:00:00Z'), 'Europe/Berlin')).toEqual({ left: 3600, month: 743 * 3600 });
    expect(secondsLeftInMonth(at('2026-04-30T23:59:58.500Z'), 'UTC').left).toBe(1);
  });
});

describe('upFrontMonthlyCharge', () => {
  const monthly = plan({ monthlyPrice: 30_000_000 });

  it('charges the full price from the first instant of the month', () => {
    expect(upFrontMonthlyCharge(monthly, at('2026-04-01T00:00:00Z'), 'UTC')).toBe(30_000_000);
    expect(upFrontMonthlyCharge(monthly, at('2026-02-28T23:00:00Z'), 'Europe/Berlin')).toBe(30_000_000);
  });

  it('prorates from mid-month to the end of the month', () => {
    expect(upFrontMonthlyCharge(monthly, at('2026-04-16T00:00:00Z'), 'UTC')).toBe(15_000_000);
    // The same instant is still 15 April in New York: 15 days and 4 hours are left there.
    expect(upFrontMonthlyCharge(monthly, at('2026-04-16T00:00:00Z'), 'America/New_York')).toBe(15_166_667);
  });

  it('prorates by the month’s real length and rounds once', () => {
    // Berlin's March 2026 has 743 hours, so one hour of it is 1/743 of the price, not 1/744.
    expect(upFrontMonthlyCharge(plan({ monthlyPrice: 743_000_000 }), at('2026-03-31T21:00:00Z'), 'Europe/Berlin')).toBe(
      1_000_000,
    );
    // One second of March 2026 (UTC, 2 678 400 s) at 10 credits: 3.73 → 4.
    expect(upFrontMonthlyCharge(plan({ monthlyPrice: 10_000_000 }), at('2026-03-31T23:59:59Z'), 'UTC')).toBe(4);
  });

  it('charges nothing up front for plans billed by the hour', () => {
    expect(upFrontMonthlyCharge(plan({ hourlyPrice: 1000 }), at('2026-04-01T00:00:00Z'), 'UTC')).toBe(0);
    expect(
      upFrontMonthlyCharge(plan({ hourlyPrice: 1000, monthlyPrice: 500_000 }), at('2026-04-01T00:00:00Z'), 'UTC'),
    ).toBe(0);
  });

  it('shrinks as the month goes by, from the full price towards nothing', () => {
    const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) });
    fc.assert(
      fc.property(
        instant,
        instant,
        fc.integer({ min: 0, max: 10 ** 10 }),
        fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata'),
        (x, y, price, zone) => {
          const p = plan({ monthlyPrice: price });
          const { start } = monthWindow(new Date(x), zone);
          const later = Math.min(Math.max(x, y), monthWindow(new Date(x), zone).end.getTime() - 1);
          const early = upFrontMonthlyCharge(p, new Date(x), zone);
          expect(upFrontMonthlyCharge(p, start, zone)).toBe(price);
          expect(early).toBeLessThanOrEqual(price);
          expect(upFrontMonthlyCharge(p, new Date(later), zone)).toBeLessThanOrEqual(early);
        },
      ),
    );
  });
});
