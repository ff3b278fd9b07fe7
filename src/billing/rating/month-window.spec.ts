import fc from 'fast-check';
import { monthKey, monthWindow } from './month-window';

const HOUR = 3_600_000;
const window = (iso: string, zone: string) => {
  const { start, end } = monthWindow(new Date(iso), zone);
  return { start: start.toISOString(), end: end.toISOString(), hours: (end.getTime() - start.getTime()) / HOUR };
};

describe('monthWindow', () => {
  it('gives UTC months as they are', () => {
    expect(window('2026-02-14T12:00:00Z', 'UTC')).toEqual({
      start: '2026-02-01T00:00:00.000Z',
      end: '2026-03-01T00:00:00.000Z',
      hours: 672,
    });
    expect(window('2024-02-29T23:59:59.999Z', 'UTC').hours).toBe(696);
  });

  it('follows Europe/Berlin across both DST changes', () => {
    expect(window('2026-03-15T00:00:00Z', 'Europe/Berlin')).toEqual({
      start: '2026-02-28T23:00:00.000Z',
      end: '2026-03-31T22:00:00.000Z',
      hours: 743,
    });
    expect(window('2026-10-15T00:00:00Z', 'Europe/Berlin')).toEqual({
      start: '2026-09-30T22:00:00.000Z',
      end: '2026-10-31T23:00:00.000Z',
      hours: 745,
    });
  });

  it('follows America/New_York across both DST changes', () => {
    expect(window('2026-03-20T00:00:00Z', 'America/New_York')).toEqual({
      start: '2026-03-01T05:00:00.000Z',
      end: '2026-04-01T04:00:00.000Z',
      hours: 743,
    });
    expect(window('2026-11-20T00:00:00Z', 'America/New_York')).toEqual({
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-12-01T05:00:00.000Z',
      hours: 721,
    });
  });

  it('puts the boundary of a :30 zone mid-UTC-hour', () => {
    expect(window('2026-02-28T18:29:59.999Z', 'Asia/Kolkata')).toEqual({
      start: '2026-01-31T18:30:00.000Z',
      end: '2026-02-28T18:30:00.000Z',
      hours: 672,
    });
    expect(window('2026-02-28T18:30:00.000Z', 'Asia/Kolkata').start).toBe('2026-02-28T18:30:00.000Z');
    expect(window('2024-01-15T00:00:00Z', 'Asia/Kathmandu').start).toBe('2023-12-31T18:15:00.000Z');
  });

  it('includes the start instant and excludes the end instant', () => {
    expect(window('2026-02-28T23:00:00.000Z', 'Europe/Berlin').start).toBe('2026-02-28T23:00:00.000Z');
    expect(window('2026-02-28T22:59:59.999Z', 'Europe/Berlin').end).toBe('2026-02-28T23:00:00.000Z');
  });

  it('rolls over the year', () => {
    expect(window('2026-12-31T23:30:00Z', 'Europe/Berlin')).toEqual({
      start: '2026-12-31T23:00:00.000Z',
      end: '2027-01-31T23:00:00.000Z',
      hours: 744,
    });
    expect(window('2026-12-31T22:59:59Z', 'Europe/Berlin').end).toBe('2026-12-31T23:00:00.000Z');
  });

  it('starts the month at the end of the gap when the clocks skip midnight on the 1st', () => {
    // Cairo went from 00:00 straight to 01:00 on 1 August 2014.
    expect(window('2014-08-10T00:00:00Z', 'Africa/Cairo').start).toBe('2014-07-31T22:00:00.000Z');
    expect(window('2014-07-10T00:00:00Z', 'Africa/Cairo').end).toBe('2014-07-31T22:00:00.000Z');
    // Asunción did the same on 1 October 1975.
    expect(window('1975-10-10T00:00:00Z', 'America/Asuncion').start).toBe('1975-10-01T04:00:00.000Z');
  });

  it('starts the month at the first midnight when midnight happens twice', () => {
    // Havana falls back from 01:00 to 00:00 on Sunday 1 November 2026.
    expect(window('2026-11-10T00:00:00Z', 'America/Havana')).toEqual({
      start: '2026-11-01T04:00:00.000Z',
      end: '2026-12-01T05:00:00.000Z',
      hours: 721,
    });
  });

  it('handles a day that a zone skipped entirely', () => {
    // Samoa jumped from 29 to 31 December 2011.
    expect(window('2011-12-15T00:00:00Z', 'Pacific/Apia')).toEqual({
      start: '2011-12-01T10:00:00.000Z',
      end: '2011-12-31T10:00:00.000Z',
      hours: 720,
    });
  });

  it('refuses an unknown zone and an invalid date', () => {
    expect(() => monthWindow(new Date('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => monthWindow(new Date('nope'), 'UTC')).toThrow(RangeError);
  });

  const zones = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'America/Havana',
    'Africa/Cairo',
    'Pacific/Chatham',
    'America/St_Johns',
  ];

  it('is the month monthKey names, and months tile time with no gap or overlap', () => {
    const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (ms, zone) => {
        const { start, end } = monthWindow(new Date(ms), zone);
        const key = monthKey(new Date(ms), zone);
        expect(start.getTime()).toBeLessThanOrEqual(ms);
        expect(end.getTime()).toBeGreaterThan(ms);
        expect(monthKey(start, zone)).toBe(key);
        expect(monthKey(new Date(start.getTime() - 1), zone)).not.toBe(key);
        expect(monthKey(new Date(end.getTime() - 1), zone)).toBe(key);
        expect(monthKey(end, zone)).not.toBe(key);
        expect(monthWindow(end, zone).start.getTime()).toBe(end.getTime());
        const hours = (end.getTime() - start.getTime()) / HOUR;
        expect(hours).toBeGreaterThanOrEqual(27 * 24);
        expect(hours).toBeLessThanOrEqual(32 * 24);
      }),
      { numRuns: 300 },
    );
  });
});

describe('monthKey', () => {
  it('names the local month', () => {
    expect(monthKey(new Date('2026-02-28T23:00:00Z'), 'Europe/Berlin')).toBe('2026-03');
    expect(monthKey(new Date('2026-02-28T23:00:00Z'), 'UTC')).toBe('2026-02');
    expect(monthKey(new Date('2026-03-01T04:59:59Z'), 'America/New_York')).toBe('2026-02');
    expect(monthKey(new Date('2026-12-31T23:00:00Z'), 'Europe/Berlin')).toBe('2027-01');
    expect(monthKey(new Date('2026-02-28T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-03');
  });
});
