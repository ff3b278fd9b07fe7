import fc from 'fast-check';
import { pieceCharge, roundedCost, type Cumulative } from './cumulative-charge';
import { oneOffPrice, perPeriodPrice } from './period-price';
import { graduatedPrice, invalidRanges, type PriceRange } from './price-ranges';
import { parseQuantity } from '../../common/quantities';

const HOUR = 3_600;
const DAY = 86_400;

/** Charges `pieces` one after the other from an empty month, as hourly settlement does. */
function chargeInPieces(pricing: Cumulative, pieces: bigint[]): bigint {
  let total = 0n;
  let charged = 0n;
  for (const piece of pieces) {
    charged += pieceCharge(pricing, total, piece);
    total += piece;
  }
  return charged;
}

/** Any way of cutting `total` into `cuts + 1` non-negative pieces. */
const splitsOf = (total: bigint) =>
  fc.array(fc.bigInt({ min: 0n, max: total }), { maxLength: 40 }).map((points) => {
    const sorted = [0n, ...points.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), total];
    return sorted.slice(1).map((point, i) => point - sorted[i]);
  });

const ranges = fc
  .uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 12n }), { maxLength: 4 })
  .chain((starts) =>
    fc.tuple(
      fc.constant(starts),
      fc.array(fc.integer({ min: 0, max: 50_000_000 }), {
        minLength: starts.length + 1,
        maxLength: starts.length + 1,
      }),
    ),
  )
  .map(([starts, prices]): PriceRange[] =>
    [0n, ...starts.sort((a, b) => (a < b ? -1 : 1))].map((from, i) => ({ from, priceMicros: prices[i] })),
  );

describe('charging usage piece by piece against a running total', () => {
  /** A pricing, a month's total and a way of cutting that total into pieces. */
  const cutMonths = (pricings: fc.Arbitrary<Cumulative>, maxTotal: bigint) =>
    fc
      .tuple(pricings, fc.bigInt({ min: 0n, max: maxTotal }))
      .chain(([pricing, total]) => fc.tuple(fc.constant(pricing), fc.constant(total), splitsOf(total)));

  it('adds up to the whole month charged at once, however the month is cut (rules)', () => {
    const rules = fc
      .tuple(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 1, max: 31 * DAY }))
      .map(([price, period]) => perPeriodPrice(price, period));
    // Up to 1,000 units held for a whole 31-day month.
    const month = cutMonths(rules, parseQuantity(1_000) * BigInt(31 * DAY));
    fc.assert(
      fc.property(month, ([pricing, total, pieces]) => chargeInPieces(pricing, pieces) === roundedCost(pricing, total)),
      { numRuns: 500 },
    );
  });

  it('adds up to the whole month charged at once, however the month is cut (counters with ranges)', () => {
    const counters = fc
      .tuple(ranges, fc.bigInt({ min: 1n, max: 10n ** 13n }))
      .map(([r, unit]) => graduatedPrice(r, unit));
    fc.assert(
      fc.property(
        cutMonths(counters, 10n ** 16n),
        ([pricing, total, pieces]) => chargeInPieces(pricing, pieces) === roundedCost(pricing, total),
      ),
      { numRuns: 500 },
    );
  });

  it('never charges a piece a negative amount, since prices are not negative', () => {
    fc.assert(
      fc.property(
        ranges,
        fc.bigInt({ min: 0n, max: 10n ** 16n }),
        fc.bigInt({ min: 0n, max: 10n ** 14n }),
        (r, before, piece) => pieceCharge(graduatedPrice(r, parseQuantity(1)), before, piece) >= 0n,
      ),
    );
  });
});

describe('a resource rule priced per period', () => {
  it('charges an IPv4 address at 10 credits per 30 days 0.013889 credits an hour, rounded per running total', () => {
    const ipv4 = perPeriodPrice(10_000_000, 30 * DAY);
    const oneAddressHour = parseQuantity(1) * BigInt(HOUR);
    // 10 / 720 = 0.0138888…: the first hour rounds up, and 720 hours make exactly 10 credits.
    expect(pieceCharge(ipv4, 0n, oneAddressHour)).toBe(13_889n);
    expect(chargeInPieces(ipv4, Array(720).fill(oneAddressHour))).toBe(10_000_000n);
  });

  it('charges two addresses held for half an hour the same as one held for an hour', () => {
    const ipv4 = perPeriodPrice(10_000_000, 30 * DAY);
    expect(pieceCharge(ipv4, 0n, parseQuantity(2) * BigInt(HOUR / 2))).toBe(
      pieceCharge(ipv4, 0n, parseQuantity(1) * BigInt(HOUR)),
    );
  });

  it('refuses a negative price and periods outside 1 s … 31 days', () => {
    expect(() => perPeriodPrice(-1, HOUR)).toThrow(RangeError);
    expect(() => perPeriodPrice(1, 0)).toThrow(RangeError);
    expect(() => perPeriodPrice(1, 31 * DAY + 1)).toThrow(RangeError);
  });
});

describe('a one-off rule', () => {
  it('charges its price per unit once, exactly for a fractional quantity', () => {
    const setupFee = oneOffPrice(4_000_000);
    expect(roundedCost(setupFee, parseQuantity('2.5'))).toBe(10_000_000n);
    expect(roundedCost(setupFee, parseQuantity('0.000001'))).toBe(4n);
    expect(() => oneOffPrice(-1)).toThrow(RangeError);
  });
});

describe('a counter with graduated price ranges', () => {
  // Outgoing traffic: first 1,000 GB included, then 0.01 per GB, from 10,000 GB 0.008 per GB.
  const traffic = graduatedPrice(
    [
      { from: 0n, priceMicros: 0 },
      { from: parseQuantity(1_000), priceMicros: 10_000 },
      { from: parseQuantity(10_000), priceMicros: 8_000 },
    ],
    parseQuantity(1),
  );
  const gb = (value: string | number) => parseQuantity(value);

  it('charges nothing inside the allowance', () => {
    expect(pieceCharge(traffic, 0n, gb(1_000))).toBe(0n);
  });

  it('splits an hour that crosses the allowance exactly where it is crossed', () => {
    // 999.5 GB used before this hour, 1 GB in it: half a GB free, half at 0.01.
    expect(pieceCharge(traffic, gb('999.5'), gb(1))).toBe(5_000n);
  });

  it('prices each unit by the range it falls in', () => {
    // 9,000 GB at 0.01 and 2,000 GB at 0.008 = 90 + 16 credits.
    expect(roundedCost(traffic, gb(12_000))).toBe(106_000_000n);
    expect(pieceCharge(traffic, gb(9_999), gb(2))).toBe(18_000n);
  });

  it('prices per measurement unit: 0.40 per million disk requests', () => {
    const reads = graduatedPrice([{ from: 0n, priceMicros: 400_000 }], parseQuantity(1_000_000));
    expect(pieceCharge(reads, 0n, parseQuantity(2_500_000))).toBe(1_000_000n);
    expect(pieceCharge(reads, 0n, parseQuantity(1))).toBe(0n);
    // A million single requests charged one by one add up to the 0.40 a million cost at once.
    expect(chargeInPieces(reads, Array(1_000).fill(parseQuantity(1_000)))).toBe(400_000n);
  });

  it('refuses ranges that do not start at 0, go backwards, or have a negative price', () => {
    const unit = parseQuantity(1);
    expect(() => graduatedPrice([], unit)).toThrow('at least one price range');
    expect(() => graduatedPrice([{ from: 1n, priceMicros: 0 }], unit)).toThrow('must start at 0');
    expect(() =>
      graduatedPrice(
        [
          { from: 0n, priceMicros: 1 },
          { from: 0n, priceMicros: 2 },
        ],
        unit,
      ),
    ).toThrow('strictly increasing');
    expect(() => graduatedPrice([{ from: 0n, priceMicros: -1 }], unit)).toThrow('must not be negative');
  });

  it('names the rule a list of ranges breaks, for the 400 that refuses it', () => {
    const rule = (ranges: PriceRange[]) => invalidRanges(ranges)?.rule ?? null;
    expect(rule([])).toBe('hasPriceRange');
    expect(rule([{ from: 5n, priceMicros: 0 }])).toBe('startsAtZero');
    expect(rule([{ from: 0n, priceMicros: -1 }])).toBe('nonNegativePrice');
    expect(
      rule([
        { from: 0n, priceMicros: 0 },
        { from: 7n, priceMicros: 1 },
        { from: 7n, priceMicros: 2 },
      ]),
    ).toBe('strictlyIncreasing');
    expect(rule([{ from: 0n, priceMicros: 0 }])).toBeNull();
  });
});
