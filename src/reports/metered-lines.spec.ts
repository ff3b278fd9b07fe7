import type { Money } from '../common/money';
import type { MeteredCounter, ResourceRule } from '../metering/metering.types';
import { counterRate, everyPeriod, meteredLineText, MeteredReportLine, ruleRate } from './metered-lines';

/** Euros at 1 credit = €0.50, as the reader's unit prices read. */
const unitPrice = (micros: number): Money => {
  const amount = String(micros / 2_000_000);
  return { credits: String(micros / 1e6), amount, currency: 'EUR', formatted: `€${amount}` };
};

const ipv4 = {
  key: 'ipv4',
  name: 'IPv4 address',
  unit: 'address',
  priceMicros: 3_000_000,
  periodSeconds: 30 * 86_400,
  kind: 'postpaid',
} as ResourceRule;

const traffic = {
  key: 'traffic-out',
  name: 'Outgoing traffic',
  unitName: 'GB',
  measurementUnit: 1_000_000n,
  ranges: [
    { from: 0n, priceMicros: 0 },
    { from: 1_000_000_000n, priceMicros: 10_000 },
    { from: 10_000_000_000n, priceMicros: 8_000 },
  ],
} as MeteredCounter;

const diskReads = {
  key: 'disk-read-requests',
  name: 'Disk read requests',
  unitName: 'requests',
  measurementUnit: 1_000_000_000_000n,
  ranges: [{ from: 0n, priceMicros: 400_000 }],
} as MeteredCounter;

const base = { userId: 'alice', instanceId: 'vm-1', name: 'web', itemId: 4, charge: 0 };

describe('a rule or counter line in words', () => {
  it("gives a postpaid rule's quantity-seconds as unit-hours, to six decimals", () => {
    const line = (quantity: number): MeteredReportLine => ({
      ...base,
      item: 'rule',
      kind: 'rule',
      quantity,
      rule: ipv4,
    });
    // 720 hours of one address.
    expect(meteredLineText(line(720 * 3600 * 1_000_000), unitPrice)).toEqual({
      key: 'ipv4',
      item: 'IPv4 address',
      quantity: '720',
      unit: 'address-hours',
      rate: '€1.5 per address every 30 days',
    });
    // 10.5 hours, and one second (1/3600 of an hour, rounded at the sixth decimal).
    expect(meteredLineText(line(10.5 * 3600 * 1_000_000), unitPrice).quantity).toBe('10.5');
    expect(meteredLineText(line(1_000_000), unitPrice).quantity).toBe('0.000278');
  });

  it("gives a prepaid rule's units paid for, and a counter's usage in its unit", () => {
    const backup = { ...ipv4, key: 'backup', name: 'Backup', unit: 'backup', kind: 'prepaid' } as ResourceRule;
    const prepaid: MeteredReportLine = { ...base, item: 'rule', kind: 'rule', quantity: 2_000_000, rule: backup };
    expect(meteredLineText(prepaid, unitPrice)).toMatchObject({
      quantity: '2',
      unit: 'backup',
      rate: '€1.5 per backup every 30 days, paid in advance',
    });
    const counter: MeteredReportLine = {
      ...base,
      item: 'counter',
      kind: 'counter',
      quantity: 1_800_500_000,
      counter: traffic,
    };
    expect(meteredLineText(counter, unitPrice)).toEqual({
      key: 'traffic-out',
      item: 'Outgoing traffic',
      quantity: '1800.5',
      unit: 'GB',
      rate: 'first 1,000 GB a month included, then €0.005 per GB, from 10,000 GB €0.004 per GB',
    });
  });

  it('still lists a line whose rule or counter is gone, by its id', () => {
    const gone: MeteredReportLine = { ...base, item: 'counter', kind: 'counter', quantity: 5_000_000, counter: null };
    expect(meteredLineText(gone, unitPrice)).toEqual({
      key: 'counter 4',
      item: '',
      quantity: '5',
      unit: '',
      rate: '',
    });
  });

  it('says a period in its largest whole unit, and a one-off as once', () => {
    expect([3_600, 86_400, 30 * 86_400, 5_400, 90, 1].map(everyPeriod)).toEqual([
      'every hour',
      'every day',
      'every 30 days',
      'every 90 minutes',
      'every 90 seconds',
      'every second',
    ]);
    expect(ruleRate({ ...ipv4, unit: 'setup', periodSeconds: 0, kind: 'prepaid' }, unitPrice)).toBe(
      '€1.5 per setup, once',
    );
  });

  it('names the measurement unit when it is not one, and prices a first range that is not free', () => {
    expect(counterRate(diskReads, unitPrice)).toBe('€0.2 per 1,000,000 requests');
    const paidFirst = { ...traffic, ranges: [{ from: 0n, priceMicros: 20_000 }, traffic.ranges[1]] };
    expect(counterRate(paidFirst, unitPrice)).toBe('€0.01 per GB for the first 1,000 GB, then €0.005 per GB');
  });
});
