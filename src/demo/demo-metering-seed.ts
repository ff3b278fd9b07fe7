import type { PlanService } from '../catalog/plan.service';
import type { MeteredCounterCreateDto } from '../metering/metered-counter.dto';
import type { MeteredCounterService } from '../metering/metered-counter.service';
import type { ResourceRuleCreateDto } from '../metering/resource-rule.dto';
import type { ResourceRuleService } from '../metering/resource-rule.service';
import { DEMO_PLAN_SLUGS } from './demo-catalog-seed';

export interface MeteringSeedServices {
  plans: PlanService;
  rules: ResourceRuleService;
  counters: MeteredCounterService;
}

const THIRTY_DAYS = 30 * 24 * 3600;

/**
 * The rules every seeded plan gets, one of each kind of filter NoCloud's sample plan shows. Backups are prepaid, a
 * monthly add-on paid up front as NoCloud's sample bills its 30-day resource, so the demo has a rule of each kind.
 */
export const DEMO_RULES: readonly ResourceRuleCreateDto[] = [
  {
    key: 'ipv4',
    name: 'IPv4 address',
    unit: 'address',
    price: '330',
    periodSeconds: THIRTY_DAYS,
    kind: 'postpaid',
    quantitySource: 'fixed',
    fixedQuantity: '1',
    on: ['terminated'],
    except: true,
  },
  {
    key: 'backup',
    name: 'Backups',
    unit: 'backup',
    price: '180',
    periodSeconds: THIRTY_DAYS,
    kind: 'prepaid',
    quantitySource: 'fixed',
    fixedQuantity: '1',
    on: ['running', 'stopped'],
  },
  {
    key: 'suspension-fee',
    name: 'Suspension fee',
    unit: 'instance',
    price: '0.5',
    periodSeconds: 3600,
    kind: 'postpaid',
    quantitySource: 'fixed',
    fixedQuantity: '1',
    on: ['suspended'],
  },
];

/**
 * Outgoing traffic on every plan (no planIds): the first 1,000 GB of a month included, then 1 credit ($0.01) a GB,
 * from 10,000 GB 0.8. The rules' prices are in credits too: an IPv4 address at 330 per 30 days is $0.0046 an hour.
 */
export const DEMO_TRAFFIC_COUNTER: MeteredCounterCreateDto = {
  key: 'traffic-out',
  name: 'Outgoing traffic',
  unitName: 'GB',
  measurementUnit: '1',
  ranges: [
    { from: '0', price: '0' },
    { from: '1000', price: '1' },
    { from: '10000', price: '0.8' },
  ],
};

/**
 * Adds the rules to the seeded plans that still exist and the traffic counter, leaving alone a rule or counter an
 * admin already made under the same key (on a database first started with DEMO_SEED=0, or before this step existed).
 */
export async function seedMetering({ plans, rules, counters }: MeteringSeedServices): Promise<void> {
  const seeded = (await plans.list()).filter((plan) => DEMO_PLAN_SLUGS.includes(plan.slug));
  for (const plan of seeded) {
    const existing = new Set((await rules.list(plan.id, false)).map((rule) => rule.key));
    for (const rule of DEMO_RULES) if (!existing.has(rule.key)) await rules.create(plan.id, rule);
  }
  const counterKeys = new Set((await counters.list(false)).map((counter) => counter.key));
  if (!counterKeys.has(DEMO_TRAFFIC_COUNTER.key)) await counters.create(DEMO_TRAFFIC_COUNTER);
}
