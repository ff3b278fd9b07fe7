import type { MeteredCounter } from '../../metering/metering.types';
import { graduatedPrice } from '../../metering/rating/price-ranges';
import { parseQuantity } from '../../common/quantities';
import { counterMonthKey, rateCounterUsage } from './counter-usage';

const ranges = [
  { from: 0n, priceMicros: 0 },
  { from: parseQuantity(1_000), priceMicros: 10_000 },
];
const traffic: MeteredCounter = {
  id: 3,
  key: 'traffic-out',
  name: 'Outgoing traffic',
  unitName: 'GB',
  measurementUnit: parseQuantity(1),
  ranges,
  planIds: null,
  pricing: graduatedPrice(ranges, parseQuantity(1)),
  createdAt: new Date(0),
  retiredAt: null,
};
const counters = new Map([[3, traffic]]);
const report = (id: string, at: string, gb: string | number) => ({
  id,
  counterId: 3,
  atMs: Date.parse(at),
  quantity: parseQuantity(gb),
});

describe('rating usage reports against the month’s running total', () => {
  it('charges in the order the usage happened, whatever order the reports came in', () => {
    const rated = rateCounterUsage(
      [report('2', '2026-04-15T13:40:00Z', 200), report('1', '2026-04-15T13:20:00Z', 900)],
      counters,
      'UTC',
      new Map(),
    );
    // 900 GB included; of the next 200, 100 are still included and 100 cost 0.01.
    expect(rated.map((row) => [row.id, row.charge])).toEqual([
      ['1', 0n],
      ['2', 1_000_000n],
    ]);
  });

  it('counts a report in the month of the billing zone it falls in (a :30 zone turns the month inside an hour)', () => {
    const totals = new Map([[counterMonthKey(3, '2026-04'), parseQuantity(1_000)]]);
    // 18:29 UTC on 30 April is 23:59 in Kolkata (April: over the allowance); 18:31 UTC is 1 May there (a new month).
    const rated = rateCounterUsage(
      [report('1', '2026-04-30T18:29:00Z', 10), report('2', '2026-04-30T18:31:00Z', 10)],
      counters,
      'Asia/Kolkata',
      totals,
    );
    expect(rated.map((row) => [row.monthKey, row.dayKey, row.charge])).toEqual([
      ['2026-04', '2026-04-30', 100_000n],
      ['2026-05', '2026-05-01', 0n],
    ]);
    expect(totals.get(counterMonthKey(3, '2026-05'))).toBe(parseQuantity(10));
  });
});
