import type { MeteredMonthlyEntity } from './metered-monthly.entity';
import { MeteredRollups } from './metered-rollups';

const row = (instanceId: string, item: 'rule' | 'counter', itemId: number, quantity: number, charge: number) =>
  ({
    instanceId,
    item,
    itemId,
    monthKey: '2026-03',
    userId: `u-${instanceId}`,
    quantity,
    charge,
  }) as MeteredMonthlyEntity;

describe('MeteredRollups', () => {
  it('gives each instance of a batch only its own running totals, per kind, with what was added since', () => {
    const rollups = new MeteredRollups([
      row('i1', 'rule', 7, 100, 10),
      row('i2', 'rule', 7, 200, 20),
      row('i1', 'counter', 3, 5, 1),
    ]);
    rollups.add({ id: 'i2', userId: 'u-i2' }, 'rule', 7, '2026-03', 50n, 5n);
    rollups.add({ id: 'i3', userId: 'u-i3' }, 'counter', 3, '2026-03', 9n, 2n);

    expect(rollups.totalsOf('i1', 'rule')).toEqual(new Map([['7|2026-03', 100n]]));
    expect(rollups.chargesOf('i1', 'rule')).toEqual(new Map([['7|2026-03', 10n]]));
    expect(rollups.totalsOf('i1', 'counter')).toEqual(new Map([['3|2026-03', 5n]]));
    expect(rollups.totalsOf('i2', 'rule')).toEqual(new Map([['7|2026-03', 250n]]));
    expect(rollups.chargesOf('i2', 'rule')).toEqual(new Map([['7|2026-03', 25n]]));
    expect(rollups.totalsOf('i2', 'counter')).toEqual(new Map());
    expect(rollups.totalsOf('i3', 'counter')).toEqual(new Map([['3|2026-03', 9n]]));
    expect(rollups.totalsOf('unknown', 'rule')).toEqual(new Map());
    expect(rollups.changed()).toEqual([{ ...row('i2', 'rule', 7, 250, 25) }, { ...row('i3', 'counter', 3, 9, 2) }]);
  });
});
