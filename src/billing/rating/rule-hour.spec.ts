import fc from 'fast-check';
import type { ResourceRule, RuleKind } from '../../metering/metering.types';
import { oneOffPrice, perPeriodPrice } from '../../metering/rating/period-price';
import { parseQuantity } from '../../common/quantities';
import { hourPieces } from './calendar-pieces';
import { rateRuleHour, type RuleTotals } from './rule-hour';
import type { BillableState, Segment } from './types';

const HOUR_MS = 3_600_000;
const DAY = 86_400;
const T0 = Date.parse('2026-04-01T00:00:00Z');

function rule(
  fields: Partial<ResourceRule> & { priceMicros: number; periodSeconds: number; kind: RuleKind },
): ResourceRule {
  const { priceMicros, periodSeconds } = fields;
  return {
    id: 1,
    planId: 7,
    key: 'ipv4',
    name: 'IPv4',
    unit: 'address',
    quantitySource: 'fixed',
    fixedQuantity: parseQuantity(1),
    filter: { on: ['terminated'], except: true },
    createdAt: new Date(0),
    retiredAt: null,
    monthlyCapMicros: null,
    pricing: periodSeconds === 0 ? oneOffPrice(priceMicros) : perPeriodPrice(priceMicros, periodSeconds),
    ...fields,
  };
}

const segment = (
  fromMs: number,
  toMs: number | null,
  state: BillableState = 'running',
  quantities?: object,
): Segment => ({
  from: new Date(fromMs),
  to: toMs === null ? null : new Date(toMs),
  state,
  planId: 7,
  ...(quantities ? { quantities: new Map(Object.entries(quantities).map(([k, v]) => [k, parseQuantity(v)])) } : {}),
});

const freshTotals = (): RuleTotals => ({ monthQuantitySeconds: new Map(), monthCharge: new Map(), prepaid: new Map() });

/** Rates hours [fromMs, untilMs) in turn, as settlement does, and adds up the charges. */
function chargeHours(
  rules: ResourceRule[],
  segments: Segment[],
  fromMs: number,
  untilMs: number,
  totals = freshTotals(),
) {
  let total = 0n;
  for (let hourMs = fromMs; hourMs < untilMs; hourMs += HOUR_MS) {
    for (const row of rateRuleHour({
      segments,
      hourStartMs: hourMs,
      pieces: hourPieces(hourMs, 'UTC'),
      rules,
      anchorMs: T0,
      totals,
    }))
      total += row.charge;
  }
  return total;
}

describe('rating resource rules hour by hour', () => {
  it('charges a postpaid rule its exact price for a whole period, hour by hour', () => {
    const ipv4 = rule({ priceMicros: 3_000_000, periodSeconds: 30 * DAY, kind: 'postpaid' });
    expect(chargeHours([ipv4], [segment(T0, null)], T0, T0 + 720 * HOUR_MS)).toBe(3_000_000n);
  });

  it('bills a postpaid rule only in the states its filter names, to the second', () => {
    const fee = rule({
      priceMicros: 10_000,
      periodSeconds: 3_600,
      kind: 'postpaid',
      filter: { on: ['suspended'], except: false },
    });
    const suspendedAt = T0 + 30 * 60_000;
    const segments = [
      segment(T0, suspendedAt),
      segment(suspendedAt, suspendedAt + 90 * 60_000, 'suspended'),
      segment(suspendedAt + 90 * 60_000, null),
    ];
    // 90 suspended minutes at 0.01 an hour.
    expect(chargeHours([fee], segments, T0, T0 + 3 * HOUR_MS)).toBe(15_000n);
  });

  it('bills the quantity the host reported under the rule key, and nothing without one', () => {
    const backup = rule({
      priceMicros: 3_600,
      periodSeconds: 3_600,
      kind: 'postpaid',
      key: 'backup',
      quantitySource: 'reported',
      fixedQuantity: null,
    });
    const half = T0 + HOUR_MS / 2;
    expect(
      chargeHours([backup], [segment(T0, half), segment(half, null, 'running', { backup: '2.5' })], T0, T0 + HOUR_MS),
    ).toBe(4_500n);
  });

  it('bills only between the rule’s creation and retirement', () => {
    const ipv4 = rule({
      priceMicros: 3_600_000,
      periodSeconds: 3_600,
      kind: 'postpaid',
      createdAt: new Date(T0 + 15 * 60_000),
      retiredAt: new Date(T0 + 45 * 60_000),
    });
    expect(chargeHours([ipv4], [segment(T0, null)], T0, T0 + 2 * HOUR_MS)).toBe(1_800_000n);
  });

  it('charges a prepaid rule a whole period at its start, and again at the next period', () => {
    const licence = rule({ priceMicros: 5_000_000, periodSeconds: DAY, kind: 'prepaid' });
    expect(chargeHours([licence], [segment(T0, null)], T0, T0 + HOUR_MS)).toBe(5_000_000n);
    expect(chargeHours([licence], [segment(T0, null)], T0, T0 + 24 * HOUR_MS)).toBe(5_000_000n);
    expect(chargeHours([licence], [segment(T0, null)], T0, T0 + 25 * HOUR_MS)).toBe(10_000_000n);
  });

  it('prorates a prepaid rule when more units are held mid-period, and refunds nothing when fewer are', () => {
    const backup = rule({
      priceMicros: 2_400_000,
      periodSeconds: DAY,
      kind: 'prepaid',
      key: 'backup',
      quantitySource: 'reported',
      fixedQuantity: null,
    });
    const noon = T0 + 12 * HOUR_MS;
    const evening = T0 + 18 * HOUR_MS;
    const segments = [
      segment(T0, noon, 'running', { backup: '1' }),
      segment(noon, evening, 'running', { backup: '3' }),
      segment(evening, null, 'running', { backup: '1' }),
    ];
    // 2.40 for the first backup's day, then 2 more for the half day left: 2 × 2.40 / 2 = 2.40.
    expect(chargeHours([backup], segments, T0, T0 + 24 * HOUR_MS)).toBe(4_800_000n);
  });

  it('starts a prepaid period only in a billed state: a stopped instance pays when it starts', () => {
    const backup = rule({
      priceMicros: 2_400_000,
      periodSeconds: DAY,
      kind: 'prepaid',
      filter: { on: ['running'], except: false },
    });
    const sixAm = T0 + 6 * HOUR_MS;
    // Started at 06:00: 18 of the period's 24 hours are left.
    expect(chargeHours([backup], [segment(T0, sixAm, 'stopped'), segment(sixAm, null)], T0, T0 + 24 * HOUR_MS)).toBe(
      1_800_000n,
    );
  });

  it('charges a one-off rule once per unit, whenever it is first held', () => {
    const setup = rule({
      priceMicros: 2_000_000,
      periodSeconds: 0,
      kind: 'prepaid',
      key: 'ip',
      quantitySource: 'reported',
      fixedQuantity: null,
    });
    const later = T0 + 50 * HOUR_MS;
    const segments = [segment(T0, later, 'running', { ip: '1' }), segment(later, null, 'running', { ip: '2' })];
    expect(chargeHours([setup], segments, T0, T0 + 100 * HOUR_MS)).toBe(4_000_000n);
  });

  it('adds up to the same month however the hours are settled in runs (totals carried over)', () => {
    const ipv4 = rule({ priceMicros: 3_333_333, periodSeconds: 7 * DAY, kind: 'postpaid' });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 167 }), (cut) => {
        const totals = freshTotals();
        const first = chargeHours([ipv4], [segment(T0, null)], T0, T0 + cut * HOUR_MS, totals);
        const rest = chargeHours([ipv4], [segment(T0, null)], T0 + cut * HOUR_MS, T0 + 168 * HOUR_MS, totals);
        return first + rest === chargeHours([ipv4], [segment(T0, null)], T0, T0 + 168 * HOUR_MS);
      }),
      { numRuns: 20 },
    );
  });
});

describe('a rule’s monthly cap', () => {
  it('stops charging once the month reaches it, and starts again the next month', () => {
    const ipv4 = rule({ priceMicros: 10_000, periodSeconds: 3_600, kind: 'postpaid', monthlyCapMicros: 25_000 });
    const totals = freshTotals();
    // 0.01 an hour capped at 0.025: two hours in full, half of the third, nothing after.
    expect(chargeHours([ipv4], [segment(T0, null)], T0, T0 + 5 * HOUR_MS, totals)).toBe(25_000n);
    const may = Date.parse('2026-05-01T00:00:00Z');
    expect(chargeHours([ipv4], [segment(T0, null)], may, may + HOUR_MS, totals)).toBe(10_000n);
  });

  it('caps a prepaid rule’s period charge too', () => {
    const licence = rule({ priceMicros: 5_000_000, periodSeconds: DAY, kind: 'prepaid', monthlyCapMicros: 7_000_000 });
    expect(chargeHours([licence], [segment(T0, null)], T0, T0 + 72 * HOUR_MS)).toBe(7_000_000n);
  });
});
