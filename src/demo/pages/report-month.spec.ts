import { currentMonth, monthOptions, shiftMonth } from './report-month';

describe('report months', () => {
  it('reads the current month in the billing time zone', () => {
    const newYearInUtc = new Date('2026-01-01T02:00:00Z');
    expect(currentMonth(newYearInUtc, 'UTC')).toBe('2026-01');
    expect(currentMonth(newYearInUtc, 'America/New_York')).toBe('2025-12');
  });

  it('moves across years', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-03', -12)).toBe('2025-03');
  });

  it('offers this month and the eleven before it, keeping an older month that is shown', () => {
    const options = monthOptions('2026-03', '2026-02');
    expect(options).toHaveLength(12);
    expect(options[0]).toEqual({ value: '2026-03', label: 'March 2026', selected: false });
    expect(options[1]).toEqual({ value: '2026-02', label: 'February 2026', selected: true });
    expect(options[11].value).toBe('2025-04');
    const older = monthOptions('2026-03', '2024-07');
    expect(older.map((o) => o.value)).toContain('2024-07');
    expect(older.find((o) => o.selected)?.value).toBe('2024-07');
    expect(monthOptions('2026-03', null).find((o) => o.selected)?.value).toBe('2026-03');
    expect(monthOptions('2026-03', 'junk').some((o) => o.value === 'junk')).toBe(false);
  });
});
