import fc from 'fast-check';
import { hourPieces } from './calendar-pieces';
import { dayKey, monthKey } from './month-window';
import { HOUR_MS } from './time-windows';

// Whole-hour, :30, :45 and DST zones, including +05:30, +05:45, −03:30, +08:45, +13:45 and a 30-minute DST shift.
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Eucla',
  'Pacific/Chatham',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Asia/Tehran',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];
const hours = fc.integer({ min: Date.UTC(2000, 0, 1) / HOUR_MS, max: Date.UTC(2040, 0, 1) / HOUR_MS });

describe('hourPieces', () => {
  it('cuts an Asia/Kolkata hour at local midnight, and leaves a UTC hour whole', () => {
    expect(hourPieces(Date.parse('2026-03-31T18:00:00Z'), 'Asia/Kolkata')).toEqual([
      {
        startMs: Date.parse('2026-03-31T18:00:00Z'),
        endMs: Date.parse('2026-03-31T18:30:00Z'),
        monthKey: '2026-03',
        dayKey: '2026-03-31',
      },
      {
        startMs: Date.parse('2026-03-31T18:30:00Z'),
        endMs: Date.parse('2026-03-31T19:00:00Z'),
        monthKey: '2026-04',
        dayKey: '2026-04-01',
      },
    ]);
    expect(hourPieces(Date.parse('2026-03-31T23:00:00Z'), 'UTC')).toHaveLength(1);
    // St John's is −02:30 in summer: its days begin at 02:30 UTC.
    expect(hourPieces(Date.parse('2026-07-01T02:00:00Z'), 'America/St_Johns').map((p) => p.dayKey)).toEqual([
      '2026-06-30',
      '2026-07-01',
    ]);
  });

  it('tiles the hour with pieces that each lie in one local day, cut exactly where a day begins', () => {
    fc.assert(
      fc.property(hours, fc.constantFrom(...ZONES), (hour, zone) => {
        const start = hour * HOUR_MS;
        const pieces = hourPieces(start, zone);
        expect(pieces[0].startMs).toBe(start);
        expect(pieces[pieces.length - 1].endMs).toBe(start + HOUR_MS);
        for (const [i, piece] of pieces.entries()) {
          if (i > 0) {
            expect(piece.startMs).toBe(pieces[i - 1].endMs);
            expect(piece.dayKey).not.toBe(pieces[i - 1].dayKey);
            // The second before the cut is still the old day.
            expect(dayKey(new Date(piece.startMs - 1000), zone)).toBe(pieces[i - 1].dayKey);
          }
          expect(piece.endMs).toBeGreaterThan(piece.startMs);
          expect(dayKey(new Date(piece.startMs), zone)).toBe(piece.dayKey);
          expect(dayKey(new Date(piece.endMs - 1000), zone)).toBe(piece.dayKey);
          expect(monthKey(new Date(piece.startMs), zone)).toBe(piece.monthKey);
          expect(piece.dayKey.startsWith(piece.monthKey)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts every hour that holds local midnight in a :30 or :45 zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2040, 0, 1) / 86_400_000 }),
        fc.constantFrom('Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Eucla', 'Pacific/Chatham', 'Australia/Adelaide'),
        (day, zone) => {
          // Some UTC hour of the day (and the next) holds that zone's local midnight.
          const cuts = Array.from({ length: 48 }, (_, h) => hourPieces(day * 86_400_000 + h * HOUR_MS, zone)).filter(
            (pieces) => pieces.length === 2,
          );
          expect(cuts.length).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
