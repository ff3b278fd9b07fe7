import { topUp } from './support/billing-fixtures';
import { BACKUP_RULE, DISK_READS_COUNTER, IPV4_RULE, TRAFFIC_COUNTER } from './support/metering-fixtures';
import { addHypervisor, createLocation, createOfferedPlan } from './support/placement-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const usd = (credits: string, amount: string, formatted = `$${amount}`) => ({
  credits,
  amount,
  currency: 'USD',
  formatted,
});
/** The plan's rules: an address, a backup, a one-off fee, a disk the host reports, a fee only while suspended. */
const variant = (key: string, name: string, unit: string, terms: object) => ({
  ...IPV4_RULE,
  key,
  name,
  unit,
  ...terms,
});
const RULES = [
  IPV4_RULE,
  BACKUP_RULE,
  variant('setup', 'Setup fee', 'fee', {
    price: '2',
    periodSeconds: 0,
    kind: 'prepaid',
    on: ['running'],
    except: false,
  }),
  variant('extra-disk', 'Extra disk', 'GB', {
    price: '0.001',
    periodSeconds: 3_600,
    quantitySource: 'reported',
    fixedQuantity: undefined,
  }),
  variant('suspension-fee', 'Suspension fee', 'instance', {
    price: '0.5',
    periodSeconds: 3_600,
    on: ['suspended'],
    except: false,
  }),
];

// The test clock starts at 2026-03-10T12:00:00Z; 1 credit is $0.01.
describe('the wizard quote: a plan’s resource rules and metered counters', () => {
  let t: TestApp;
  let locationId: number;
  let planId: number;
  let otherPlanId: number;
  const admin = () => t.as('admin');
  const rules = (plan = planId) => `/admin/plans/${plan}/rules`;
  const quote = async (plan = planId, user = 'alice') =>
    (await t.as(user).post('/me/quote', { planId: plan, locationId }).expect(200)).body;

  beforeAll(async () => {
    t = await startTestApp();
    await addHypervisor(t, 'hv-1', 4);
    locationId = await createLocation(t, 'North', ['hv-1']);
    planId = await createOfferedPlan(t, 'Capped', [locationId], { hourlyPrice: '0.5', monthlyPrice: '100' });
    otherPlanId = await createOfferedPlan(t, 'Other', [locationId], { hourlyPrice: '1' });
    await topUp(t, 'alice', '10', 'pay-1').expect(201);
    for (const rule of RULES) {
      await admin().post(rules(), rule).expect(201);
    }
    // Neither shows: a rule of another plan, and one deleted before the quote.
    await admin()
      .post(rules(otherPlanId), { ...IPV4_RULE, price: '99' })
      .expect(201);
    const gone = await admin()
      .post(rules(), { ...IPV4_RULE, key: 'gone', name: 'Gone' })
      .expect(201);
    await admin().delete(`${rules()}/${gone.body.id}`).expect(204);
    await admin().post('/admin/counters', TRAFFIC_COUNTER).expect(201);
    await admin()
      .post('/admin/counters', { ...DISK_READS_COUNTER, planIds: [otherPlanId] })
      .expect(201);
  });
  afterAll(() => t.close());

  it('lists each live rule of the plan, by key, with its price, quantity, states and words', async () => {
    const body = await quote();
    expect(body.rules.map((rule: { text: string }) => rule.text)).toEqual([
      'Backup: $0.0072 per 30 days, prepaid, 1 included, while running or stopped',
      'Extra disk: $0.00001 an hour per GB, as used',
      'IPv4 address: $0.00013889 an hour, 1 included',
      'Setup fee: $0.02 once at creation',
      'Suspension fee: $0.005 an hour, 1 included, while suspended',
    ]);
    expect(body.rules[2]).toEqual({
      key: 'ipv4',
      name: 'IPv4 address',
      unit: 'address',
      kind: 'postpaid',
      periodSeconds: 2_592_000,
      price: usd('10', '0.10'),
      // 10 credits / 720 hours, to the micro-credit.
      hourlyPerUnit: usd('0.013889', '0.00013889'),
      included: '1',
      hourly: usd('0.013889', '0.00013889'),
      billedIn: ['running', 'stopped', 'suspended'],
      inEstimate: true,
      text: 'IPv4 address: $0.00013889 an hour, 1 included',
    });
    expect(body.rules.map((rule: { key: string; inEstimate: boolean }) => [rule.key, rule.inEstimate])).toEqual([
      ['backup', true],
      ['extra-disk', false],
      ['ipv4', true],
      ['setup', false],
      ['suspension-fee', false],
    ]);
    expect(body.rules[1]).toMatchObject({ included: null, hourly: null, hourlyPerUnit: usd('0.001', '0.00001') });
    expect(body.rules[3]).toMatchObject({ periodSeconds: 0, hourlyPerUnit: null, hourly: null });
  });

  it('lists the counters that apply to the plan, with their ranges and allowance', async () => {
    const { counters } = await quote();
    expect(counters).toEqual([
      {
        key: 'traffic-out',
        name: 'Outgoing traffic',
        unitName: 'GB',
        measurementUnit: '1',
        included: '1000',
        ranges: [
          { from: '0', price: usd('0', '0.00') },
          { from: '1000', price: usd('0.01', '0.0001') },
          { from: '10000', price: usd('0.008', '0.00008') },
        ],
        text: 'Outgoing traffic: first 1,000 GB a month included, then $0.0001 per GB, from 10,000 GB $0.00008 per GB',
      },
    ]);
    const other = await quote(otherPlanId);
    expect(other.counters.map((counter: { key: string }) => counter.key)).toEqual([
      'disk-read-requests',
      'traffic-out',
    ]);
    expect(other.counters[0].text).toBe('Disk read requests: $0.004 per 1,000,000 requests');
    expect(other.rules.map((rule: { price: { credits: string } }) => rule.price.credits)).toEqual(['99']);
  });

  it('adds the fixed rules that bill while running to the estimate, on top of the capped plan', async () => {
    expect(await quote()).toMatchObject({
      // 0.5 for the plan, 0.013889 for the address, 0.001 for the backup's 0.72 over 720 hours.
      hourly: usd('0.514889', '0.00514889'),
      // 12 + 0.333333 + 0.024.
      daily: usd('12.357333', '0.12'),
      // The plan's 730 hours capped at 100, the rules not: 100 + 10.138889 + 0.73.
      monthly: usd('110.868889', '1.11'),
      monthlyCap: usd('100', '1.00'),
      // The first hour also pays the backup's first 30 days and the setup fee: 10 - 0.513889 - 0.72 - 2.
      balanceAfterFirstHour: usd('6.766111', '0.07'),
    });
  });

  it('follows a rule changed or deleted by the admin at once', async () => {
    const { body: list } = await admin().get(rules()).expect(200);
    const ipv4 = list.find((rule: { key: string }) => rule.key === 'ipv4');
    const backup = list.find((rule: { key: string }) => rule.key === 'backup');
    await admin()
      .patch(`${rules()}/${ipv4.id}`, { fixedQuantity: '2', periodSeconds: 3_600, price: '0.01' })
      .expect(200);
    await admin().delete(`${rules()}/${backup.id}`).expect(204);
    const body = await quote();
    expect(body.rules.map((rule: { key: string }) => rule.key)).toEqual([
      'extra-disk',
      'ipv4',
      'setup',
      'suspension-fee',
    ]);
    expect(body.rules[1].text).toBe('IPv4 address: $0.0002 an hour, 2 included ($0.0001 an hour each)');
    expect(body.hourly.credits).toBe('0.52');
  });

  it('speaks the user’s currency in every line', async () => {
    await admin()
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '2', prefix: '', suffix: ' €' })
      .expect(201);
    await t.as('bob').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const body = await quote(planId, 'bob');
    expect(body.rules.find((rule: { key: string }) => rule.key === 'setup').text).toBe(
      'Setup fee: 4.00 € once at creation',
    );
    expect(body.counters[0].text).toBe(
      'Outgoing traffic: first 1,000 GB a month included, then 0.02 € per GB, from 10,000 GB 0.016 € per GB',
    );
  });
});
