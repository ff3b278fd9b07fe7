import fc from 'fast-check';
import { HOUR_MS, hoursToSettle, hourStartOf, secondsStartedBetween } from './time-windows';

const at = (iso: string) => new Date(iso);
const isos = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('hourStartOf', () => {
  it('floors to the UTC hour', () => {
    expect(hourStartOf(at('2026-03-10T10:59:59.999Z')).toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(hourStartOf(at('2026-03-10T10:00:00.000Z')).toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(hourStartOf(at('2026-03-10T10:00:00.001Z')).toISOString()).toBe('2026-03-10T10:00:00.000Z');
    expect(hourStartOf(at('1969-12-31T23:30:00Z')).toISOString()).toBe('1969-12-31T23:00:00.000Z');
  });

  it('refuses an invalid date', () => {
    expect(() => hourStartOf(new Date('nope'))).toThrow(RangeError);
  });
});

describe('secondsStartedBetween', () => {
  it('counts the seconds that begin inside the interval', () => {
    expect(secondsStartedBetween(0, 1000)).toBe(1);
    expect(secondsStartedBetween(0, 3_600_000)).toBe(3600);
    expect(secondsStartedBetween(0, 999)).toBe(1); // second 0 began inside
    expect(secondsStartedBetween(1, 999)).toBe(0); // no second began inside
    expect(secondsStartedBetween(400, 1_800_400)).toBe(1800);
    expect(secondsStartedBetween(5000, 5000)).toBe(0);
    expect(secondsStartedBetween(6000, 5000)).toBe(0);
  });

  it('adds up exactly over adjacent intervals and stays within a second of the duration', () => {
    const ms = fc.integer({ min: 0, max: 10 * HOUR_MS });
    fc.assert(
      fc.property(ms, ms, ms, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q);
        expect(secondsStartedBetween(a, b) + secondsStartedBetween(b, c)).toBe(secondsStartedBetween(a, c));
        expect(Math.abs(secondsStartedBetween(a, c) - (c - a) / 1000)).toBeLessThan(1);
      }),
    );
  });
});

describe('hoursToSettle', () => {
  it('lists every complete hour from the first one when nothing is settled yet', () => {
    expect(isos(hoursToSettle(null, at('2026-03-10T10:20:00Z'), at('2026-03-10T13:00:00Z')))).toEqual([
      '2026-03-10T10:00:00.000Z',
      '2026-03-10T11:00:00.000Z',
      '2026-03-10T12:00:00.000Z',
    ]);
  });

  it('leaves out the hour still in progress', () => {
    expect(isos(hoursToSettle(null, at('2026-03-10T10:00:00Z'), at('2026-03-10T12:59:59.999Z')))).toEqual([
      '2026-03-10T10:00:00.000Z',
      '2026-03-10T11:00:00.000Z',
    ]);
    expect(hoursToSettle(null, at('2026-03-10T10:00:00Z'), at('2026-03-10T10:59:00Z'))).toEqual([]);
  });

  it('continues after the last settled hour, catching up on every missed one', () => {
    expect(
      isos(hoursToSettle(at('2026-03-10T11:00:00Z'), at('2026-03-10T10:00:00Z'), at('2026-03-10T15:30:00Z'))),
    ).toEqual(['2026-03-10T12:00:00.000Z', '2026-03-10T13:00:00.000Z', '2026-03-10T14:00:00.000Z']);
    expect(hoursToSettle(at('2026-03-10T12:00:00Z'), at('2026-03-10T10:00:00Z'), at('2026-03-10T13:00:00Z'))).toEqual(
      [],
    );
  });

  it('never goes back before the first hour', () => {
    expect(
      isos(hoursToSettle(at('2026-03-01T00:00:00Z'), at('2026-03-10T10:00:00Z'), at('2026-03-10T11:00:00Z'))),
    ).toEqual(['2026-03-10T10:00:00.000Z']);
  });

  it('works in batches that join up into the full catch-up', () => {
    const first = at('2026-03-01T00:00:00Z');
    const now = at('2026-03-02T06:00:00Z');
    const all = hoursToSettle(null, first, now);
    expect(all).toHaveLength(30);
    const joined: Date[] = [];
    let last: Date | null = null;
    for (let batch = hoursToSettle(last, first, now, 7); batch.length > 0; batch = hoursToSettle(last, first, now, 7)) {
      expect(batch.length).toBeLessThanOrEqual(7);
      joined.push(...batch);
      last = batch[batch.length - 1];
    }
    expect(isos(joined)).toEqual(isos(all));
  });

  it('returns consecutive complete hours up to now and nothing more', () => {
    const time = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2020, 0, 10) });
    fc.assert(
      fc.property(time, time, fc.option(time, { nil: null }), (firstMs, nowMs, lastMs) => {
        const last = lastMs === null ? null : hourStartOf(new Date(lastMs));
        const hours = hoursToSettle(last, new Date(firstMs), new Date(nowMs)).map((d) => d.getTime());
        hours.forEach((h, i) => {
          expect(h % HOUR_MS).toBe(0);
          expect(h + HOUR_MS).toBeLessThanOrEqual(nowMs);
          if (i > 0) expect(h - hours[i - 1]).toBe(HOUR_MS);
        });
        const start = Math.max(hourStartOf(new Date(firstMs)).getTime(), last ? last.getTime() + HOUR_MS : -Infinity);
        if (hours.length > 0) expect(hours[0]).toBe(start);
        // The hour after the list is not complete yet.
        const next = hours.length > 0 ? hours[hours.length - 1] + HOUR_MS : start;
        expect(next + HOUR_MS).toBeGreaterThan(nowMs);
      }),
    );
  });
});
