import { toUnitPriceMoney } from '../common/money';
import { counterLine, perPeriod, PriceFormat, ruleLine } from './metered-lines';
import { counter, rule } from './metering.fixture';

/** 1 credit = $0.01, as the demo's default currency. */
const usd: PriceFormat = (micros) =>
  toUnitPriceMoney(micros, { code: 'USD', valuePerCreditNanos: 10_000_000, prefix: '$', suffix: '', decimals: 2 });
/** 1 credit = 1 unit of a two-decimal currency: the figures read as the admin typed them. */
const one: PriceFormat = (micros) =>
  toUnitPriceMoney(micros, { code: 'CRD', valuePerCreditNanos: 1_000_000_000, prefix: '', suffix: ' cr', decimals: 2 });

const DAY = 86_400;
const textOf = (fields: Parameters<typeof rule>[0], format = one) => ruleLine(rule(fields), format).text;

describe('the wizard’s lines for a plan’s rules', () => {
  it('gives a fixed postpaid rule its hourly equivalent and the quantity included', () => {
    // 3.36 per 30 days is 0.004666… an hour.
    const line = ruleLine(rule({ price: '3.36', periodSeconds: 30 * DAY }), one);
    expect(line.text).toBe('IPv4 address: 0.004667 cr an hour, 1 included');
    expect(line).toMatchObject({
      key: 'ipv4',
      kind: 'postpaid',
      periodSeconds: 30 * DAY,
      price: { credits: '3.36', formatted: '3.36 cr' },
      hourlyPerUnit: { credits: '0.004667' },
      included: '1',
      hourly: { credits: '0.004667' },
      billedIn: ['running', 'stopped', 'suspended'],
      inEstimate: true,
    });
  });

  it('multiplies by the quantity and says what one costs', () => {
    expect(textOf({ price: '0.01', periodSeconds: 3_600, fixedQuantity: '2' })).toBe(
      'IPv4 address: 0.02 cr an hour, 2 included (0.01 cr an hour each)',
    );
    expect(textOf({ price: '1', periodSeconds: 3_600, fixedQuantity: '1000.5' })).toBe(
      'IPv4 address: 1,000.50 cr an hour, 1,000.5 included (1.00 cr an hour each)',
    );
  });

  it('says a prepaid rule by its period, and the states it bills in', () => {
    const backup = { key: 'backup', name: 'Backup', price: '0.5', periodSeconds: 30 * DAY, kind: 'prepaid' as const };
    expect(textOf({ ...backup, on: ['running', 'stopped'], except: false })).toBe(
      'Backup: 0.50 cr per 30 days, prepaid, 1 included, while running or stopped',
    );
    expect(textOf({ ...backup, fixedQuantity: '3', on: ['suspended'] })).toBe(
      'Backup: 1.50 cr per 30 days, prepaid, 3 included (0.50 cr each), while running, stopped or terminated',
    );
  });

  it('prices a reported quantity per unit, as used', () => {
    const disk = { key: 'disk', name: 'Extra disk', unit: 'GB', fixedQuantity: null };
    const postpaid = ruleLine(rule({ ...disk, price: '7.2', periodSeconds: 30 * DAY }), one);
    expect(postpaid.text).toBe('Extra disk: 0.01 cr an hour per GB, as used');
    expect(postpaid).toMatchObject({ included: null, hourly: null, inEstimate: false });
    expect(textOf({ ...disk, price: '2', periodSeconds: 7 * DAY, kind: 'prepaid' })).toBe(
      'Extra disk: 2.00 cr per 7 days per GB, prepaid, as used',
    );
  });

  it('says a one-off rule is charged once at creation', () => {
    const setup = { key: 'setup', name: 'Setup fee', unit: 'fee', periodSeconds: 0, kind: 'prepaid' as const };
    const line = ruleLine(rule({ ...setup, price: '2' }), one);
    expect(line.text).toBe('Setup fee: 2.00 cr once at creation');
    expect(line).toMatchObject({ hourlyPerUnit: null, hourly: null, included: '1', inEstimate: false });
    expect(textOf({ ...setup, price: '2', fixedQuantity: '3' })).toBe(
      'Setup fee: 6.00 cr once at creation (3 × 2.00 cr)',
    );
    expect(textOf({ ...setup, price: '2', fixedQuantity: null, unit: 'licence' })).toBe(
      'Setup fee: 2.00 cr per licence once at creation',
    );
  });

  it('names a rule that bills only while suspended, and one that never bills', () => {
    const fee = { key: 'fee', name: 'Suspension fee', price: '0.01', periodSeconds: 3_600 };
    expect(textOf({ ...fee, on: ['suspended'], except: false })).toBe(
      'Suspension fee: 0.01 cr an hour, 1 included, while suspended',
    );
    expect(textOf({ ...fee, on: ['running', 'stopped', 'suspended', 'terminated'] })).toBe(
      'Suspension fee: 0.01 cr an hour, 1 included, in no state',
    );
  });

  it('speaks the viewer’s currency with the decimals a price needs', () => {
    // 10 credits per 30 days at $0.01: $0.000138888… an hour, shown to the micro-credit.
    const line = ruleLine(rule({ price: '10', periodSeconds: 30 * DAY }), usd);
    expect(line.text).toBe('IPv4 address: $0.00013889 an hour, 1 included');
    expect(line.price).toEqual({ credits: '10', amount: '0.10', currency: 'USD', formatted: '$0.10' });
  });
});

describe('the wizard’s lines for a plan’s counters', () => {
  it('says the allowance, then each range, as Atomia’s traffic counter', () => {
    const traffic = counter({
      ranges: [
        ['0', '0'],
        ['1000', '1'],
        ['10000', '0.8'],
      ],
    });
    const line = counterLine(traffic, one);
    expect(line.text).toBe(
      'Outgoing traffic: first 1,000 GB a month included, then 1.00 cr per GB, from 10,000 GB 0.80 cr per GB',
    );
    expect(line).toMatchObject({ key: 'traffic-out', unitName: 'GB', measurementUnit: '1', included: '1000' });
    expect(line.ranges.map((range) => [range.from, range.price.credits])).toEqual([
      ['0', '0'],
      ['1000', '1'],
      ['10000', '0.8'],
    ]);
    expect(counterLine(traffic, usd).text).toBe(
      'Outgoing traffic: first 1,000 GB a month included, then $0.01 per GB, from 10,000 GB $0.008 per GB',
    );
  });

  it('counts a measurement unit of many in the counter’s own unit', () => {
    const reads = counter({
      key: 'disk-read-requests',
      name: 'Disk reads',
      unitName: 'requests',
      measurementUnit: '1000000',
      ranges: [
        ['0', '0.4'],
        ['2.5', '0.3'],
      ],
    });
    const line = counterLine(reads, one);
    expect(line.text).toBe(
      'Disk reads: 0.40 cr per 1,000,000 requests, from 2,500,000 requests a month 0.30 cr per 1,000,000 requests',
    );
    expect(line.included).toBe('0');
  });

  it('says when nothing is charged, and skips several free ranges to the first priced one', () => {
    expect(counterLine(counter({ ranges: [['0', '0']] }), one)).toMatchObject({
      text: 'Outgoing traffic: no charge',
      included: null,
    });
    expect(
      counterLine(
        counter({
          ranges: [
            ['0', '0'],
            ['10', '0'],
            ['20.5', '2'],
          ],
        }),
        one,
      ).text,
    ).toBe('Outgoing traffic: first 20.5 GB a month included, then 2.00 cr per GB');
  });
});

describe('a period in words', () => {
  it.each([
    [3_600, 'an hour'],
    [86_400, 'a day'],
    [30 * DAY, 'per 30 days'],
    [7_200, 'per 2 hours'],
    [5_400, 'per 90 minutes'],
    [60, 'a minute'],
    [1, 'a second'],
    [45, 'per 45 seconds'],
  ])('%i seconds is "%s"', (seconds, words) => expect(perPeriod(seconds)).toBe(words));
});
