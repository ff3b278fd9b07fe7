import type { PlanPricing } from '../billing/rating';
import { quoteFigures } from './quote-figures';

const credits = (amount: number) => amount * 1_000_000;
const plan = (hourly: number | null, monthly: number | null): PlanPricing => ({
  planId: 1,
  hourlyPrice: hourly === null ? null : credits(hourly),
  monthlyPrice: monthly === null ? null : credits(monthly),
  stoppedHourlyPrice: null,
  suspendedHourlyPrice: null,
});
const now = new Date('2026-03-10T12:00:00Z');

describe('the wizard quote', () => {
  it('adds up an hourly plan without a cap and takes an hour off the balance', () => {
    expect(quoteFigures(plan(0.5, null), credits(10), now, 'UTC')).toEqual({
      hourly: credits(0.5),
      daily: credits(12),
      monthly: credits(365),
      monthlyCap: null,
      firstHour: credits(0.5),
      balanceAfterFirstHour: credits(9.5),
    });
  });

  it('caps the daily and monthly figures of an hourly plan at its monthly price', () => {
    const figures = quoteFigures(plan(1, 20), credits(5), now, 'UTC');
    expect(figures).toMatchObject({ hourly: credits(1), daily: credits(20), monthly: credits(20) });
    expect(figures.monthlyCap).toBe(credits(20));
    expect(figures.balanceAfterFirstHour).toBe(credits(4));
  });

  it('never shows an hour dearer than the cap', () => {
    expect(quoteFigures(plan(30, 20), 0, now, 'UTC').hourly).toBe(credits(20));
  });

  it('charges a monthly-only plan the rest of the month up front in the first hour', () => {
    // 2026-03-10T12:00Z to April: 21.5 of March's 31 days.
    const figures = quoteFigures(plan(null, 31), credits(100), now, 'UTC');
    expect(figures.monthly).toBe(credits(31));
    expect(figures.monthlyCap).toBeNull();
    expect(figures.firstHour).toBe(credits(21.5));
    expect(figures.balanceAfterFirstHour).toBe(credits(78.5));
  });

  it('goes below zero when the balance does not cover the first hour', () => {
    expect(quoteFigures(plan(2, null), credits(1), now, 'UTC').balanceAfterFirstHour).toBe(credits(-1));
  });
});
