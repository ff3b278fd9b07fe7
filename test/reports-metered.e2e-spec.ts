import { topUp } from './support/billing-fixtures';
import { meteredApril } from './support/metering-fixtures';
import { testEngine } from './support/test-database';
import { startTestApp, TestApp } from './support/test-app';

interface Money {
  credits: string;
  formatted: string;
}

interface Row {
  userId?: string;
  kind: 'instance' | 'rule' | 'counter';
  instanceId: string;
  name: string;
  key?: string;
  item?: string;
  quantity?: string;
  unit?: string;
  rate?: string;
  cost: Money;
  adjusted?: boolean;
}

interface Day {
  date: string;
  cost: Money;
  instances: Money;
  rules: Money;
  counters: Money;
}

/** Adds credit strings exactly (micro-credits), as a reader checking the report's arithmetic would. */
const micros = (amounts: string[]) =>
  amounts.map((credits) => Math.round(Number(credits) * 1_000_000)).reduce((sum, part) => sum + part, 0);

/**
 * The usage report of meteredApril's month (an instance, two resource rules, two counters, one report billed late),
 * in dollars (1 credit = $0.01): each rule and counter on a line of its own under the instance, in the JSON and the
 * CSV alike, and the total what the ledger took.
 */
describe(`usage report lines for rules and counters (${testEngine()})`, () => {
  let t: TestApp;
  /** Every ledger entry of the user, page by page. */
  const ledger = async (user: string) => {
    const entries: { kind: string; amount: Money }[] = [];
    for (let before: number | null = null; ;) {
      const query: string = before === null ? '' : `&before=${before}`;
      const page = (await t.as(user).get(`/me/ledger?limit=200${query}`).expect(200)).body;
      entries.push(...page.entries);
      if (page.nextBefore === null) return entries;
      before = page.nextBefore;
    }
  };
  const report = async (path = '/me/usage?month=2026-04', user = 'alice') =>
    (await t.as(user).get(path).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    await t
      .as('admin')
      .patch('/admin/settings', { timeZone: 'UTC', suspensionThreshold: '-1000000', lateEventWindowHours: 72 })
      .expect(200);
    await topUp(t, 'alice', '100', 'pay-1').expect(201);
    await meteredApril(t, 'alice');
  });
  afterAll(() => t.close());

  it("lists the instance's plan row, then its rules, then its counters, each with quantity, unit, rate and cost", async () => {
    const april = await report();
    expect(april.rows.map((row: Row) => [row.kind, row.instanceId, row.name, row.key ?? null])).toEqual([
      ['instance', 'vm-1', 'vm-1', null],
      ['rule', 'vm-1', 'vm-1', 'ipv4'],
      ['rule', 'vm-1', 'vm-1', 'suspension-fee'],
      ['counter', 'vm-1', 'vm-1', 'disk-read-requests'],
      ['counter', 'vm-1', 'vm-1', 'traffic-out'],
    ]);
    expect(april.rows[0]).toMatchObject({ kind: 'instance', cost: { credits: '7.095' }, adjusted: false });
    const lines = april.rows.slice(1).map(({ item, quantity, unit, rate, cost }: Row) => ({
      item,
      quantity,
      unit,
      rate,
      cost: cost.credits,
    }));
    expect(lines).toEqual([
      {
        item: 'IPv4 address',
        quantity: '720',
        unit: 'address-hours',
        rate: '$0.03 per address every 30 days',
        cost: '3',
      },
      {
        item: 'Suspension fee',
        quantity: '10.5',
        unit: 'instance-hours',
        rate: '$0.0001 per instance every hour',
        cost: '0.105',
      },
      // The late report's 1,500,000 requests are the month's too.
      {
        item: 'Disk read requests',
        quantity: '4000000',
        unit: 'requests',
        rate: '$0.004 per 1,000,000 requests',
        cost: '1.6',
      },
      {
        item: 'Outgoing traffic',
        quantity: '1800',
        unit: 'GB',
        rate: 'first 1,000 GB a month included, then $0.0001 per GB, from 10,000 GB $0.00008 per GB',
        cost: '8',
      },
    ]);
  });

  it("totals every line, and the total is what the ledger took for the month, the late report's adjustment included", async () => {
    const april = await report();
    expect(april.total.credits).toBe('19.8');
    expect(micros(april.rows.map((row: Row) => row.cost.credits))).toBe(micros([april.total.credits]));
    // Everything the ledger took is April's: the billing stopped at May 1st, 00:00.
    const taken = (await ledger('alice')).filter((entry) => entry.kind === 'charge' || entry.kind === 'adjustment');
    expect(taken.filter((entry) => entry.kind === 'adjustment')).toHaveLength(1);
    expect(-micros(taken.map((entry) => entry.amount.credits))).toBe(micros(['19.8']));
    // A late usage report is a charge of its counter, not a re-rating: nothing is listed as corrected.
    expect(april.adjustments).toEqual([]);
  });

  it('charts each day by kind, the kinds adding up to the day and the days to the lines', async () => {
    const days: Day[] = (await report()).daily;
    expect(days).toHaveLength(30);
    for (const day of days) {
      expect(micros([day.instances.credits, day.rules.credits, day.counters.credits])).toBe(micros([day.cost.credits]));
    }
    const sum = (kind: 'instances' | 'rules' | 'counters') => micros(days.map((day) => day[kind].credits));
    expect([sum('instances'), sum('rules'), sum('counters')]).toEqual([7_095_000, 3_105_000, 9_600_000]);
    // The 15th: 100 GB past the allowance (1 credit) on top of 24 hours of instance and IPv4.
    expect(days[14].counters.credits).toBe('1');
    // The 3rd holds the late report's 0.6, billed at the end of the month in the day it happened.
    expect(days[2].counters.credits).toBe('0.6');
  });

  it('exports the same lines as CSV, the rule and counter columns filled for them', async () => {
    const april = await report();
    const csv = (await t.as('alice').get('/me/usage.csv?month=2026-04').expect(200)).text;
    const [header, ...records] = csv.trimEnd().split('\r\n');
    expect(header).toBe(
      'Instance ID,Instance,Kind,Plan,Location,Hourly rate (USD),Hourly rate (credits),Hours,' +
        'Key,Item,Quantity,Unit,Rate,Cost (USD),Cost (credits),Adjusted',
    );
    expect(records).toHaveLength(april.rows.length + 1);
    expect(records[0]).toMatch(/^vm-1,vm-1,instance,Plan \d+,,0\.0001,0\.01,720,,,,,,0\.07,7\.095,no$/);
    expect(records.slice(1, 5)).toEqual([
      'vm-1,vm-1,rule,,,,,,ipv4,IPv4 address,720,address-hours,$0.03 per address every 30 days,0.03,3,',
      'vm-1,vm-1,rule,,,,,,suspension-fee,Suspension fee,10.5,instance-hours,$0.0001 per instance every hour,0.00,0.105,',
      'vm-1,vm-1,counter,,,,,,disk-read-requests,Disk read requests,4000000,requests,' +
        '"$0.004 per 1,000,000 requests",0.02,1.6,',
      'vm-1,vm-1,counter,,,,,,traffic-out,Outgoing traffic,1800,GB,' +
        '"first 1,000 GB a month included, then $0.0001 per GB, from 10,000 GB $0.00008 per GB",0.08,8,',
    ]);
    expect(records[5]).toBe('Total,,,,,,,,,,,,,0.20,19.8,');
  });

  it('gives an admin the same lines for the user and for everyone, each saying whose it is', async () => {
    const own = await report();
    const one = await report('/admin/usage?month=2026-04&userId=alice', 'admin');
    expect(one.rows).toEqual(own.rows);
    expect(one.total).toEqual(own.total);
    const everyone = await report('/admin/usage?month=2026-04', 'admin');
    expect(everyone.rows.map((row: Row) => [row.userId, row.kind, row.key ?? null])).toEqual([
      ['alice', 'instance', null],
      ['alice', 'rule', 'ipv4'],
      ['alice', 'rule', 'suspension-fee'],
      ['alice', 'counter', 'disk-read-requests'],
      ['alice', 'counter', 'traffic-out'],
    ]);
    // Another user has no line of alice's.
    expect((await report('/me/usage?month=2026-04', 'bob')).rows).toEqual([]);
  });
});
