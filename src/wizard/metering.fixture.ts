import type { MeteredCounter, ResourceRule } from '../metering/metering.types';
import { oneOffPrice, perPeriodPrice } from '../metering/rating/period-price';
import { graduatedPrice } from '../metering/rating/price-ranges';
import { parseQuantity } from '../common/quantities';
import { parseCredits } from '../common/money';

const CREATED = { createdAt: new Date('2026-03-01T00:00:00Z'), retiredAt: null };

/** Test fixture: a rule as settlement reads it, from the fields the admin API takes (credits and quantities as text). */
export function rule(fields: {
  key?: string;
  name?: string;
  unit?: string;
  price: string;
  periodSeconds: number;
  kind?: ResourceRule['kind'];
  fixedQuantity?: string | null;
  on?: ResourceRule['filter']['on'];
  except?: boolean;
}): ResourceRule {
  const priceMicros = parseCredits(fields.price);
  const fixedQuantity = fields.fixedQuantity === undefined ? '1' : fields.fixedQuantity;
  return {
    id: 1,
    planId: 1,
    key: fields.key ?? 'ipv4',
    name: fields.name ?? 'IPv4 address',
    unit: fields.unit ?? 'address',
    priceMicros,
    periodSeconds: fields.periodSeconds,
    kind: fields.kind ?? 'postpaid',
    quantitySource: fixedQuantity === null ? 'reported' : 'fixed',
    fixedQuantity: fixedQuantity === null ? null : parseQuantity(fixedQuantity),
    filter: { on: fields.on ?? ['terminated'], except: fields.except ?? true },
    monthlyCapMicros: null,
    pricing: fields.periodSeconds === 0 ? oneOffPrice(priceMicros) : perPeriodPrice(priceMicros, fields.periodSeconds),
    ...CREATED,
  };
}

/** Test fixture: a counter for every plan, its ranges given as `[from, price]` text pairs. */
export function counter(fields: {
  key?: string;
  name?: string;
  unitName?: string;
  measurementUnit?: string;
  ranges: [string, string][];
}): MeteredCounter {
  const ranges = fields.ranges.map(([from, price]) => ({
    from: parseQuantity(from),
    priceMicros: parseCredits(price),
  }));
  const measurementUnit = parseQuantity(fields.measurementUnit ?? '1');
  return {
    id: 1,
    key: fields.key ?? 'traffic-out',
    name: fields.name ?? 'Outgoing traffic',
    unitName: fields.unitName ?? 'GB',
    measurementUnit,
    ranges,
    planIds: null,
    pricing: graduatedPrice(ranges, measurementUnit),
    ...CREATED,
  };
}
