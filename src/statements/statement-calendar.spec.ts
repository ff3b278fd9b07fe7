import { chargedHours, monthBounds, nextMonth } from './statement-calendar';

const HOUR_MS = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('the hours a statement itemises', () => {
  it('in a whole-hour zone are the calendar month, hour for hour', () => {
    expect(chargedHours('2026-04', 'UTC')).toEqual({
      fromMs: at('2026-04-01T00:00Z'),
      untilMs: at('2026-05-01T00:00Z'),
    });
    // Berlin springs forward on March 29th: 743 hours.
    const march = chargedHours('2026-03', 'Europe/Berlin');
    expect(march).toEqual({ fromMs: at('2026-02-28T23:00Z'), untilMs: at('2026-03-31T22:00Z') });
    expect((march.untilMs - march.fromMs) / HOUR_MS).toBe(743);
  });

  it('in Kolkata (+05:30) leave the hour holding the month turn to the month it began in', () => {
    // April begins at 18:30Z on March 31st, inside the hour 18:00–19:00Z, which began in March (23:30 local).
    expect(monthBounds('2026-04', 'Asia/Kolkata')).toEqual({
      startMs: at('2026-03-31T18:30Z'),
      endMs: at('2026-04-30T18:30Z'),
    });
    const april = chargedHours('2026-04', 'Asia/Kolkata');
    expect(april).toEqual({ fromMs: at('2026-03-31T19:00Z'), untilMs: at('2026-04-30T19:00Z') });
    expect((april.untilMs - april.fromMs) / HOUR_MS).toBe(720);
    expect(chargedHours('2026-03', 'Asia/Kolkata').untilMs).toBe(at('2026-03-31T19:00Z'));
  });

  it('in Kathmandu (+05:45) do the same at :15', () => {
    expect(chargedHours('2026-04', 'Asia/Kathmandu')).toEqual({
      fromMs: at('2026-03-31T19:00Z'),
      untilMs: at('2026-04-30T19:00Z'),
    });
  });

  it.each(['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham'])(
    'in %s hold every hour in exactly one month, the one whose bounds its start lies in (as the ledger dates it)',
    (timeZone) => {
      // Lord Howe moves its clocks by half an hour, so its months turn at :00 or :30 UTC by the season.
      let month = '2025-12';
      let previous = chargedHours(month, timeZone);
      for (let i = 0; i < 13; i += 1) {
        month = nextMonth(month);
        const hours = chargedHours(month, timeZone);
        expect(hours.fromMs).toBe(previous.untilMs);
        expect(hours.fromMs % HOUR_MS).toBe(0);
        const { startMs, endMs } = monthBounds(month, timeZone);
        // The statement takes an entry dated at an hour's start when startMs <= it < endMs: the same hours.
        for (const hourMs of [hours.fromMs - HOUR_MS, hours.fromMs, hours.untilMs - HOUR_MS, hours.untilMs]) {
          const taken = hourMs >= startMs && hourMs < endMs;
          expect([hourMs, taken]).toEqual([hourMs, hourMs >= hours.fromMs && hourMs < hours.untilMs]);
        }
        previous = hours;
      }
    },
  );
});
