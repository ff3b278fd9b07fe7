import type { ResourceRule } from '../../metering/metering.types';
import { oneOffPrice, perPeriodPrice } from '../../metering/rating/period-price';
import { counterEstimatePerHour, counterEstimateWindow, fixedRulesPerHour } from './metered-burn';

const C = 1_000_000;
const DAY = 86_400;
const now = new Date('2026-04-10T12:30:00Z');

let ids = 0;
function rule(overrides: Partial<ResourceRule> = {}): ResourceRule {
  const priceMicros = overrides.priceMicros ?? 3 * C;
  const periodSeconds = overrides.periodSeconds ?? 30 * DAY;
  return {
    id: ++ids,
    planId: 1,
    key: 'ipv4',
    name: 'IPv4 address',
    unit: 'address',
    priceMicros,
    periodSeconds,
    kind: 'postpaid',
    quantitySource: 'fixed',
    fixedQuantity: 1_000_000n,
    filter: { on: ['terminated'], except: true },
    createdAt: new Date('2026-01-01T00:00:00Z'),
    retiredAt: null,
    monthlyCapMicros: null,
    pricing: periodSeconds === 0 ? oneOffPrice(priceMicros) : perPeriodPrice(priceMicros, periodSeconds),
    ...overrides,
  };
}

const plans = (...rules: ResourceRule[]) => {
  const byPlan = new Map<number, ResourceRule[]>();
  for (const r of rules) byPlan.set(r.planId, [...(byPlan.get(r.planId) ?? []), r]);
  return byPlan;
};

describe('fixedRulesPerHour', () => {
  it('bills price × 3600 / period × quantity for each live instance whose state the rule bills in', () => {
    // 3 per 30 days is 1/240 an hour; two addresses on two instances: 4 × 3 / 720 = 0.016667 (rounded once).
    const ipv4 = rule({ fixedQuantity: 2_000_000n });
    const live = [
      { planId: 1, state: 'running' as const },
      { planId: 1, state: 'stopped' as const },
    ];
    expect(fixedRulesPerHour(live, plans(ipv4), now)).toBe(16_667);
  });

  it('adds the fractions exactly and rounds the sum once', () => {
    // Three instances at 1/3 micro-credit an hour each: 1, where rounding each would give 0.
    const third = rule({ priceMicros: 1, periodSeconds: 10_800 });
    const live = Array.from({ length: 3 }, () => ({ planId: 1, state: 'running' as const }));
    expect(fixedRulesPerHour(live, plans(third), now)).toBe(1);
  });

  it('follows the state filter: a suspension fee only while suspended', () => {
    const fee = rule({ priceMicros: C / 100, periodSeconds: 3_600, filter: { on: ['suspended'], except: false } });
    expect(fixedRulesPerHour([{ planId: 1, state: 'running' }], plans(fee), now)).toBe(0);
    expect(fixedRulesPerHour([{ planId: 1, state: 'suspended' }], plans(fee), now)).toBe(C / 100);
  });

  it('leaves out prepaid, one-off, reported, retired, future and other plans’ rules, and terminated instances', () => {
    const left = [
      rule({ kind: 'prepaid' }),
      rule({ kind: 'prepaid', periodSeconds: 0 }),
      rule({ quantitySource: 'reported', fixedQuantity: null }),
      rule({ retiredAt: new Date('2026-04-10T12:00:00Z') }),
      rule({ createdAt: new Date('2026-04-10T13:00:00Z') }),
      rule({ planId: 2 }),
    ];
    expect(fixedRulesPerHour([{ planId: 1, state: 'running' }], plans(...left), now)).toBe(0);
    expect(fixedRulesPerHour([{ planId: 1, state: 'terminated' }], plans(rule()), now)).toBe(0);
    expect(fixedRulesPerHour([{ planId: 1, state: 'running' }], plans(...left, rule({ priceMicros: 720 })), now)).toBe(
      1,
    );
  });
});

describe('the counters estimate', () => {
  it('averages the 24 settled hours before the hour in progress', () => {
    expect(counterEstimateWindow(now)).toEqual({
      fromMs: Date.parse('2026-04-09T12:00:00Z'),
      untilMs: Date.parse('2026-04-10T12:00:00Z'),
    });
    expect(counterEstimatePerHour(12 * C)).toBe(C / 2);
    expect(counterEstimatePerHour(0)).toBe(0);
    // 1 micro-credit over a day rounds to nothing an hour; 12 to 1 (half away from zero).
    expect(counterEstimatePerHour(1)).toBe(0);
    expect(counterEstimatePerHour(12)).toBe(1);
  });
});
