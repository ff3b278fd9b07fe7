import { toSafeNumber } from '../../common/money';
import type { MeteredItem, MeteredMonthlyEntity } from './metered-monthly.entity';
import type { DailyUsageEntity } from './usage.entity';

const rollupKey = (instanceId: string, item: MeteredItem, itemId: number, monthKey: string) =>
  `${instanceId}|${item}|${itemId}|${monthKey}`;

/**
 * The month's running totals of rules and counters per instance (read under the batch's locks), as the rating
 * functions want them, and the rows to write back with what a settlement or a late report added.
 */
export class MeteredRollups {
  private readonly rows = new Map<string, MeteredMonthlyEntity>();
  /**
   * The keys of each instance's rows. A batch holds a thousand instances' rows and asks for each instance's
   * totals: a scan of every row per instance made pricing a batch quadratic (a third of a settlement's time).
   */
  private readonly keysOf = new Map<string, Set<string>>();
  private readonly touched = new Set<string>();

  constructor(rows: readonly MeteredMonthlyEntity[]) {
    for (const row of rows) this.put(rollupKey(row.instanceId, row.item, row.itemId, row.monthKey), { ...row });
  }

  /** An instance's running quantities of one kind, keyed `${itemId}|${monthKey}`, scaled by 10^6. */
  totalsOf(instanceId: string, item: MeteredItem): Map<string, bigint> {
    return this.byItemMonth(instanceId, item, (row) => BigInt(row.quantity));
  }

  /** What an instance's rules or counters have charged, keyed `${itemId}|${monthKey}`: what a monthly cap is measured against. */
  chargesOf(instanceId: string, item: MeteredItem): Map<string, bigint> {
    return this.byItemMonth(instanceId, item, (row) => BigInt(row.charge));
  }

  private byItemMonth(instanceId: string, item: MeteredItem, value: (row: MeteredMonthlyEntity) => bigint) {
    const totals = new Map<string, bigint>();
    for (const key of this.keysOf.get(instanceId) ?? []) {
      const row = this.rows.get(key) as MeteredMonthlyEntity;
      if (row.item === item) totals.set(`${row.itemId}|${row.monthKey}`, value(row));
    }
    return totals;
  }

  private put(key: string, row: MeteredMonthlyEntity): void {
    this.rows.set(key, row);
    const keys = this.keysOf.get(row.instanceId);
    if (keys) keys.add(key);
    else this.keysOf.set(row.instanceId, new Set([key]));
  }

  add(
    instance: { id: string; userId: string },
    item: MeteredItem,
    itemId: number,
    monthKey: string,
    quantity: bigint,
    charge: bigint,
  ): void {
    const key = rollupKey(instance.id, item, itemId, monthKey);
    const row = this.rows.get(key);
    this.put(key, {
      instanceId: instance.id,
      item,
      itemId,
      monthKey,
      userId: instance.userId,
      quantity: toSafeNumber(BigInt(row?.quantity ?? 0) + quantity),
      charge: toSafeNumber(BigInt(row?.charge ?? 0) + charge),
    });
    this.touched.add(key);
  }

  /** The rows something was added to. */
  changed(): MeteredMonthlyEntity[] {
    return [...this.touched].map((key) => this.rows.get(key) as MeteredMonthlyEntity);
  }
}

/** Rules' and counters' charges per user and day of the billing zone, to add to the daily rollup. */
export class MeteredDays {
  private readonly days = new Map<string, { userId: string; dayKey: string; rule: bigint; counter: bigint }>();

  add(userId: string, dayKey: string, item: MeteredItem, charge: bigint): void {
    const key = `${userId}|${dayKey}`;
    const day = this.days.get(key) ?? { userId, dayKey, rule: 0n, counter: 0n };
    if (item === 'rule') day.rule += charge;
    else day.counter += charge;
    this.days.set(key, day);
  }

  /** The days something was added to. */
  dayKeys(): string[] {
    return [...new Set([...this.days.values()].map((day) => day.dayKey))];
  }

  /** The daily rows with these charges added: `before` holds the rows read (a day not among them starts at 0). */
  addedTo(before: readonly DailyUsageEntity[]): DailyUsageEntity[] {
    const known = new Map(before.map((row) => [`${row.userId}|${row.dayKey}`, row]));
    return [...this.days].map(([key, day]) => {
      const row = known.get(key);
      const added = day.rule + day.counter;
      return {
        userId: day.userId,
        dayKey: day.dayKey,
        billedSeconds: row?.billedSeconds ?? 0,
        charge: toSafeNumber(BigInt(row?.charge ?? 0) + added),
        ruleCharge: toSafeNumber(BigInt(row?.ruleCharge ?? 0) + day.rule),
        counterCharge: toSafeNumber(BigInt(row?.counterCharge ?? 0) + day.counter),
      };
    });
  }
}
