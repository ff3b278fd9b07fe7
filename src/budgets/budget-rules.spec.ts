import type { LiveCosts } from '../billing/thresholds/burn-rate';
import { budgetForecast } from './budget-forecast';
import {
  alertLevelsOf,
  budgetMonthOf,
  budgetUsedUp,
  forecastSentence,
  levelsReached,
  monthsToEvaluate,
  ordinalDay,
  percentUsed,
} from './budget-rules';

const credits = (n: number) => n * 1_000_000;

describe('budget levels', () => {
  it('reaches a level when spend × 100 ≥ budget × level, exactly at the edge', () => {
    expect(levelsReached(credits(40), credits(80), [50, 80, 100])).toEqual([50]);
    expect(levelsReached(credits(40) - 1, credits(80), [50, 80, 100])).toEqual([]);
    expect(levelsReached(credits(80), credits(80), [100, 50, 80])).toEqual([50, 80, 100]);
    expect(levelsReached(credits(200), credits(80), [250, 300])).toEqual([250]);
  });

  it('reaches nothing while nothing is spent, even with a budget of 0, and everything at the first charge', () => {
    expect(levelsReached(0, 0, [50, 100])).toEqual([]);
    expect(levelsReached(-credits(5), credits(10), [1])).toEqual([]);
    expect(levelsReached(1, 0, [50, 100, 1000])).toEqual([50, 100, 1000]);
    expect(budgetUsedUp(0, 0)).toBe(false);
    expect(budgetUsedUp(1, 0)).toBe(true);
  });

  it('always alerts at 100 %, where the action acts', () => {
    expect(alertLevelsOf([80, 50])).toEqual([50, 80, 100]);
    expect(alertLevelsOf([100, 150])).toEqual([100, 150]);
  });

  it('gives the percent used rounded down to a tenth, never 100 before the budget is reached', () => {
    expect(percentUsed(credits(99.999), credits(100))).toBe(99.9);
    expect(percentUsed(credits(100), credits(100))).toBe(100);
    expect(percentUsed(credits(3), credits(2))).toBe(150);
    expect(percentUsed(-credits(3), credits(2))).toBe(0);
    expect(percentUsed(credits(3), 0)).toBeNull();
    // Beyond the safe integer range when multiplied: still exact.
    expect(percentUsed(9_000_000_000_000_000, 9_000_000_000_000_000)).toBe(100);
  });
});

describe('budget months', () => {
  it('follows the billing zone, a :30 one included', () => {
    const kolkata = budgetMonthOf(Date.parse('2026-03-31T18:29:59Z'), 'Asia/Kolkata');
    expect(kolkata).toEqual({
      key: '2026-03',
      startMs: Date.parse('2026-02-28T18:30:00Z'),
      endMs: Date.parse('2026-03-31T18:30:00Z'),
    });
    expect(budgetMonthOf(Date.parse('2026-03-31T18:30:00Z'), 'Asia/Kolkata').key).toBe('2026-04');
    expect(budgetMonthOf(Date.parse('2026-03-31T23:30:00Z'), 'UTC').key).toBe('2026-03');
  });

  it('still evaluates the old month while its last hour is the one just settled', () => {
    const at = (iso: string, zone: string) => {
      const months = monthsToEvaluate(new Date(iso), zone);
      return [months.previous?.key ?? null, months.current.key];
    };
    expect(at('2026-04-01T00:01:00Z', 'UTC')).toEqual(['2026-03', '2026-04']);
    expect(at('2026-04-01T01:01:00Z', 'UTC')).toEqual([null, '2026-04']);
    expect(at('2026-03-15T10:00:00Z', 'UTC')).toEqual([null, '2026-03']);
    // Kolkata's April starts at 18:30 UTC, inside the hour 18:00–19:00, which is filed under March (its start).
    expect(at('2026-03-31T19:00:00Z', 'Asia/Kolkata')).toEqual(['2026-03', '2026-04']);
    expect(at('2026-03-31T20:00:00Z', 'Asia/Kolkata')).toEqual([null, '2026-04']);
  });
});

describe('budget forecast', () => {
  const running = (hourly: number, monthly: number | null = null, chargedThisMonth = 0): LiveCosts => ({
    instances: [
      {
        plan: {
          planId: 1,
          hourlyPrice: credits(hourly),
          monthlyPrice: monthly === null ? null : credits(monthly),
          stoppedHourlyPrice: null,
          suspendedHourlyPrice: null,
        },
        state: 'running',
        chargedThisMonth: credits(chargedThisMonth),
      },
    ],
    rulesPerHour: 0,
    countersPerHour: 0,
    counterReports: 0,
  });
  const forecast = (iso: string, spend: number, budget: number, costs: LiveCosts, zone = 'UTC') => {
    const now = new Date(iso);
    return budgetForecast({
      spend: credits(spend),
      budget: credits(budget),
      now,
      timeZone: zone,
      month: budgetMonthOf(now.getTime(), zone),
      costs,
    });
  };

  it('projects the day the spend reaches the budget at the burn rate', () => {
    // 100 left at 10 an hour: 10 hours later.
    expect(forecast('2026-03-10T12:00:00Z', 20, 120, running(10))).toEqual({
      atMs: Date.parse('2026-03-10T22:00:00Z'),
      date: '2026-03-10',
    });
    expect(forecastSentence('2026-03-24')).toBe('At this rate you will reach your budget on the 24th.');
  });

  it('says nothing when the month ends first, at the very edge too', () => {
    // 10 an hour from 2026-03-31T00:00Z: 24 hours to the month's end.
    expect(forecast('2026-03-31T00:00:00Z', 0, 240, running(10))).toBeNull();
    expect(forecast('2026-03-31T00:00:00Z', 0, 239, running(10))?.date).toBe('2026-03-31');
  });

  it('uses the local date and month of a :30 zone', () => {
    // 2026-03-31T17:00Z is 22:30 in Kolkata, whose March ends at 18:30Z: 1.5 hours left of the month.
    expect(forecast('2026-03-31T17:00:00Z', 0, 10, running(10), 'Asia/Kolkata')?.date).toBe('2026-03-31');
    expect(forecast('2026-03-31T17:00:00Z', 0, 15, running(10), 'Asia/Kolkata')).toBeNull();
    // In UTC the month still has hours left: the same budget is reached on the 31st.
    expect(forecast('2026-03-31T17:00:00Z', 0, 15, running(10), 'UTC')?.date).toBe('2026-03-31');
  });

  it('respects a monthly cap: a capped instance stops adding to the spend', () => {
    // 10 an hour capped at 50 a month, 45 of it charged: 5 more this month, never 100.
    expect(forecast('2026-03-10T12:00:00Z', 45, 100, running(10, 50, 45))).toBeNull();
    expect(forecast('2026-03-10T12:00:00Z', 45, 48, running(10, 50, 45))?.atMs).toBe(
      Date.parse('2026-03-10T12:18:00Z'),
    );
  });

  it('has nothing to forecast once the budget is used up, or when nothing burns', () => {
    expect(forecast('2026-03-10T12:00:00Z', 120, 120, running(10))).toBeNull();
    expect(forecast('2026-03-10T12:00:00Z', 0, 120, { ...running(0), instances: [] })).toBeNull();
  });

  it('writes day ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 24, 31].map(ordinalDay)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '24th',
      '31st',
    ]);
  });
});
