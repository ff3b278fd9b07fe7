import fc from 'fast-check';
import { monthKey } from '../billing/rating';
import { dayKey, daysInMonth, monthLabel, MONTH_PATTERN, reportDays } from './report-calendar';

describe('dayKey', () => {
  it('reads the local date in the zone', () => {
    expect(dayKey(new Date('2026-03-31T21:59:59Z'), 'UTC')).toBe('2026-03-31');
    // Berlin is UTC+2 in summer time: 22:00 UTC is already the next day there.
    expect(dayKey(new Date('2026-03-31T21:59:59Z'), 'Europe/Berlin')).toBe('2026-03-31');
    expect(dayKey(new Date('2026-03-31T22:00:00Z'), 'Europe/Berlin')).toBe('2026-04-01');
    expect(dayKey(new Date('2026-01-01T04:59:59Z'), 'America/New_York')).toBe('2025-12-31');
    expect(dayKey(new Date('2026-03-31T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-04-01');
  });

  it('always lies in the month monthKey gives for the same instant', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Apia'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => dayKey(new Date(ms), zone).slice(0, 7) === monthKey(new Date(ms), zone),
      ),
    );
  });

  it('refuses an invalid date', () => {
    expect(() => dayKey(new Date('nope'), 'UTC')).toThrow(RangeError);
  });
});

describe('reportDays', () => {
  it('lists every day of a past month, leap years included', () => {
    expect(reportDays('2026-02', '2026-04-15')).toHaveLength(28);
    expect(reportDays('2024-02', '2026-04-15').at(-1)).toBe('2024-02-29');
    expect(reportDays('2025-12', '2026-01-01')).toHaveLength(31);
  });

  it('stops at today in the current month and has nothing for a future one', () => {
    expect(reportDays('2026-04', '2026-04-03')).toEqual(['2026-04-01', '2026-04-02', '2026-04-03']);
    expect(reportDays('2026-05', '2026-04-03')).toEqual([]);
  });
});

describe('months', () => {
  it('accepts YYYY-MM only', () => {
    for (const ok of ['2026-01', '2026-12', '1999-07']) expect(MONTH_PATTERN.test(ok)).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', 'abc', '26-01', '0999-01', '2026-01-01', ' 2026-01']) {
      expect(MONTH_PATTERN.test(bad)).toBe(false);
    }
  });

  it('knows month lengths and names', () => {
    expect([daysInMonth('2026-02'), daysInMonth('2028-02'), daysInMonth('2026-04'), daysInMonth('2026-12')]).toEqual([
      28, 29, 30, 31,
    ]);
    expect(monthLabel('2026-03')).toBe('March 2026');
  });
});
