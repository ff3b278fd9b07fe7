import { rule } from './metering.fixture';
import { isEstimated, ruleCostOver, ruleCosts } from './rule-costs';

const credits = (amount: number) => BigInt(Math.round(amount * 1_000_000));
const DAY = 86_400;

describe('what a plan’s rules add to a quote', () => {
  it('prices a periodic rule over any time exactly, rounding once', () => {
    // 10 credits per 30 days: 0.013888… an hour, shown as 0.013889.
    const ipv4 = rule({ price: '10', periodSeconds: 30 * DAY });
    expect(ruleCostOver(ipv4, 1_000_000n, 3_600)).toBe(13_889n);
    expect(ruleCostOver(ipv4, 1_000_000n, 30 * DAY)).toBe(credits(10));
    expect(ruleCostOver(ipv4, 2_500_000n, 30 * DAY)).toBe(credits(25));
  });

  it('counts a fixed postpaid rule by the hour, and charges its first hour', () => {
    const costs = ruleCosts([rule({ price: '0.01', periodSeconds: 3_600, fixedQuantity: '3' })]);
    expect(costs).toEqual({
      hourly: credits(0.03),
      daily: credits(0.72),
      monthly: credits(21.9),
      firstHour: credits(0.03),
    });
  });

  it('averages a prepaid rule over time, but charges its whole first period in the first hour', () => {
    const backup = rule({ key: 'backup', price: '0.72', periodSeconds: 30 * DAY, kind: 'prepaid' });
    expect(ruleCosts([backup])).toEqual({
      hourly: credits(0.001),
      daily: credits(0.024),
      monthly: credits(0.73),
      firstHour: credits(0.72),
    });
  });

  it('charges a one-off rule in the first hour only, times its quantity', () => {
    const setup = rule({ key: 'setup', price: '2', periodSeconds: 0, kind: 'prepaid', fixedQuantity: '1.5' });
    expect(ruleCosts([setup])).toEqual({ hourly: 0n, daily: 0n, monthly: 0n, firstHour: credits(3) });
    expect(isEstimated(setup)).toBe(false);
  });

  it('leaves out reported quantities and rules that do not bill while running', () => {
    const disk = rule({ key: 'disk', price: '1', periodSeconds: 3_600, fixedQuantity: null });
    const fee = rule({ key: 'fee', price: '1', periodSeconds: 3_600, on: ['suspended'], except: false });
    const everyStateButRunning = rule({ key: 'idle', price: '1', periodSeconds: 3_600, on: ['running'] });
    expect(ruleCosts([disk, fee, everyStateButRunning])).toEqual({ hourly: 0n, daily: 0n, monthly: 0n, firstHour: 0n });
    expect([disk, fee, everyStateButRunning].map(isEstimated)).toEqual([false, false, false]);
  });

  it('adds up several rules, each rounded on its own', () => {
    const third = rule({ price: '0.000001', periodSeconds: 3 * 3_600 });
    // A third of a micro-credit an hour rounds to 0 for each; a day is 8 micro-credits each.
    expect(ruleCosts([third, { ...third, key: 'other' }])).toMatchObject({ hourly: 0n, daily: 16n });
  });

  it('stays exact beyond the safe integer range', () => {
    // 1,000,000 credits an hour for each of 1,000,000 units: 10^18 micro-credits an hour.
    const huge = rule({ price: '1000000', periodSeconds: 3_600, fixedQuantity: '1000000' });
    expect(ruleCosts([huge]).monthly).toBe(730n * 10n ** 18n);
  });
});
