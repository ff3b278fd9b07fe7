import fc from 'fast-check';
import { monthKey } from '../billing/rating';
import { dayKey, daysInMonth, monthHours, monthLabel, MONTH_PATTERN, reportDays } from './report-calendar';

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

describe('monthHours', () => {
  const iso = ({ fromMs, untilMs }: { fromMs: number; untilMs: number }) => [
    new Date(fromMs).toISOString(),
    new Date(untilMs).toISOString(),
  ];

  it('spans the hours that start in the month of the billing zone', () => {
    expect(iso(monthHours('2026-03', 'UTC'))).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    // Berlin: UTC+1 on March 1st, UTC+2 from the end of March.
    expect(iso(monthHours('2026-03', 'Europe/Berlin'))).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-31T22:00:00.000Z',
    ]);
    expect(iso(monthHours('2025-12', 'America/New_York'))).toEqual([
      '2025-12-01T05:00:00.000Z',
      '2026-01-01T05:00:00.000Z',
    ]);
  });

  it('leaves the hour a :30 zone starts its month in with the month before', () => {
    // Kolkata (UTC+5:30): April begins at 18:30 UTC, inside the 18:00 hour, which March keeps.
    expect(iso(monthHours('2026-04', 'Asia/Kolkata'))).toEqual([
      '2026-03-31T19:00:00.000Z',
      '2026-04-30T19:00:00.000Z',
    ]);
    expect(monthHours('2026-03', 'Asia/Kolkata').untilMs).toBe(monthHours('2026-04', 'Asia/Kolkata').fromMs);
  });

  it('gives every hour to exactly one month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const key = `${year}-${String(month).padStart(2, '0')}`;
        const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
        const hours = monthHours(key, 'Pacific/Chatham');
        expect(hours.untilMs).toBe(monthHours(next, 'Pacific/Chatham').fromMs);
        expect(monthKey(new Date(hours.fromMs), 'Pacific/Chatham')).toBe(key);
        expect(monthKey(new Date(hours.untilMs - 3_600_000), 'Pacific/Chatham')).toBe(key);
      }),
    );
  });
});
