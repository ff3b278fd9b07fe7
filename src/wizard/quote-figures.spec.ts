import type { PlanPricing } from '../billing/rating';
import { rule } from './metering.fixture';
import { quoteFigures } from './quote-figures';
import { NO_RULE_COSTS, ruleCosts } from './rule-costs';

const credits = (amount: number) => BigInt(Math.round(amount * 1_000_000));
const plan = (hourly: number | null, monthly: number | null): PlanPricing => ({
  planId: 1,
  hourlyPrice: hourly === null ? null : Number(credits(hourly)),
  monthlyPrice: monthly === null ? null : Number(credits(monthly)),
  stoppedHourlyPrice: null,
  suspendedHourlyPrice: null,
});
const now = new Date('2026-03-10T12:00:00Z');
const figuresOf = (pricing: PlanPricing, balance: number) =>
  quoteFigures(pricing, NO_RULE_COSTS, Number(credits(balance)), now, 'UTC');

describe('the wizard quote', () => {
  it('adds up an hourly plan without a cap and takes an hour off the balance', () => {
    expect(figuresOf(plan(0.5, null), 10)).toEqual({
      hourly: credits(0.5),
      daily: credits(12),
      monthly: credits(365),
      monthlyCap: null,
      firstHour: credits(0.5),
      balanceAfterFirstHour: credits(9.5),
    });
  });

  it('caps the daily and monthly figures of an hourly plan at its monthly price', () => {
    const figures = figuresOf(plan(1, 20), 5);
    expect(figures).toMatchObject({ hourly: credits(1), daily: credits(20), monthly: credits(20) });
    expect(figures.monthlyCap).toBe(credits(20));
    expect(figures.balanceAfterFirstHour).toBe(credits(4));
  });

  it('never shows an hour dearer than the cap', () => {
    expect(figuresOf(plan(30, 20), 0).hourly).toBe(credits(20));
  });

  it('charges a monthly-only plan the rest of the month up front in the first hour', () => {
    // 2026-03-10T12:00Z to April: 21.5 of March's 31 days.
    const figures = figuresOf(plan(null, 31), 100);
    expect(figures.monthly).toBe(credits(31));
    expect(figures.monthlyCap).toBeNull();
    expect(figures.firstHour).toBe(credits(21.5));
    expect(figures.balanceAfterFirstHour).toBe(credits(78.5));
  });

  it('goes below zero when the balance does not cover the first hour', () => {
    expect(figuresOf(plan(2, null), 1).balanceAfterFirstHour).toBe(credits(-1));
  });

  it('adds the fixed rules on top of the capped plan price: the cap is the instance’s alone', () => {
    // 0.36 a day per address, two addresses: 0.03 an hour, 0.72 a day, 21.9 in the 730-hour month.
    const ipv4 = rule({ price: '0.36', periodSeconds: 86_400, fixedQuantity: '2' });
    const figures = quoteFigures(plan(1, 20), ruleCosts([ipv4]), Number(credits(5)), now, 'UTC');
    expect(figures).toEqual({
      hourly: credits(1.03),
      daily: credits(20.72),
      monthly: credits(41.9),
      monthlyCap: credits(20),
      firstHour: credits(1.03),
      balanceAfterFirstHour: credits(3.97),
    });
  });

  it('adds a monthly-only plan’s rules to its month charged up front', () => {
    const setup = rule({ key: 'setup', price: '2', periodSeconds: 0, kind: 'prepaid' });
    const figures = quoteFigures(plan(null, 31), ruleCosts([setup]), Number(credits(100)), now, 'UTC');
    expect(figures.firstHour).toBe(credits(23.5));
    expect(figures.monthly).toBe(credits(31));
  });
});
