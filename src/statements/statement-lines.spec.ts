import {
  buildStatementLines,
  sectionOf,
  StatementLedgerEntry,
  statementTotals,
  UsageChargeLine,
} from './statement-lines';

const APRIL_3 = Date.UTC(2026, 3, 3, 10);
let nextId = 1;
const entry = (over: Partial<StatementLedgerEntry>): StatementLedgerEntry => ({
  id: nextId++,
  kind: 'topup',
  amount: 1_000_000,
  idempotencyKey: `topup:pay-${nextId}`,
  note: null,
  hourStartMs: null,
  createdAtMs: APRIL_3,
  currencyCode: null,
  currencyAmount: null,
  ...over,
});
const usage = (over: Partial<UsageChargeLine>): UsageChargeLine => ({
  kind: 'instance',
  instanceId: 'vm-1',
  description: 'vm-1 — Small',
  detail: '10 h',
  charge: 0,
  ...over,
});

describe('statement sections', () => {
  it.each([
    ['topup', 'topup:pay-1', 'topups'],
    ['grant', 'grant:promo-1', 'grants'],
    ['charge', 'charge:alice:2026-04-01T00:00:00.000Z', 'charges'],
    ['adjustment', 'adjustment:goodwill', 'adjustments'],
    ['adjustment', 'rerate:vm-1:2026-04-02T00:00:00.000Z:1', 'charges'],
    ['adjustment', 'rerate-rules:vm-1:2026-04-02T00:00:00.000Z:1', 'charges'],
    ['adjustment', 'late-usage:host:1', 'charges'],
    ['refund', 'refund:outage', 'adjustments'],
    ['topup-refund', 'topup-refund:pay-1', 'topup-refunds'],
    ['chargeback', 'chargeback:pay-1', 'chargebacks'],
    ['expiry', 'expiry:grant-1', 'expiries'],
  ] as const)('a %s keyed %s is in %s', (kind, idempotencyKey, section) => {
    expect(sectionOf({ kind, idempotencyKey })).toBe(section);
  });
});

describe('statement lines', () => {
  it('itemises charges from the usage report and lists every other entry on a line of its own, by date', () => {
    const later = entry({ kind: 'adjustment', amount: -500_000, idempotencyKey: 'adjustment:fix', note: 'fix' });
    const earlier = entry({
      kind: 'topup',
      amount: 10_000_000,
      createdAtMs: APRIL_3 - 86_400_000,
      currencyCode: 'EUR',
      currencyAmount: '10.00',
    });
    const charges = [
      entry({ kind: 'charge', amount: -3_000_000, hourStartMs: APRIL_3, idempotencyKey: 'charge:a:1' }),
      entry({ kind: 'charge', amount: -1_500_000, hourStartMs: APRIL_3 + 3_600_000, idempotencyKey: 'charge:a:2' }),
    ];
    const lines = buildStatementLines(
      [later, ...charges, earlier],
      [
        usage({ charge: 2_000_000 }),
        usage({ kind: 'rule', description: 'vm-1 — IPv4', detail: '720 address-hours', charge: 1_000_000 }),
        usage({ instanceId: 'vm-2', description: 'vm-2 — Small', charge: 1_500_000 }),
        usage({ instanceId: 'vm-3', charge: 0 }),
      ],
    );
    expect(lines.map((line) => [line.section, line.kind, line.description, line.amount])).toEqual([
      ['topups', 'topup', 'Top-up', 10_000_000],
      ['charges', 'instance', 'vm-1 — Small', -2_000_000],
      ['charges', 'rule', 'vm-1 — IPv4', -1_000_000],
      ['charges', 'instance', 'vm-2 — Small', -1_500_000],
      ['adjustments', 'adjustment', 'Adjustment: fix', -500_000],
    ]);
    expect(lines[0].detail).toBe(`ref. ${earlier.idempotencyKey.slice('topup:'.length)}, 10.00 EUR`);
  });

  it('puts what the report does not explain (a closed month re-rated since) on a correction line', () => {
    const rerate = entry({
      kind: 'adjustment',
      amount: 250_000,
      idempotencyKey: 'rerate:vm-1:2026-03-31T23:00:00.000Z:1',
      hourStartMs: Date.UTC(2026, 2, 31, 23),
    });
    const charge = entry({ kind: 'charge', amount: -1_000_000, hourStartMs: APRIL_3, idempotencyKey: 'charge:a:3' });
    const lines = buildStatementLines([rerate, charge], [usage({ charge: 1_000_000 })]);
    expect(lines.map((line) => [line.kind, line.amount])).toEqual([
      ['instance', -1_000_000],
      ['correction', 250_000],
    ]);
  });

  it('always adds up to the entries, whatever the report says', () => {
    const entries = [
      entry({ amount: 7_000_000 }),
      entry({ kind: 'charge', amount: -4_123_456, hourStartMs: APRIL_3, idempotencyKey: 'charge:x' }),
      entry({ kind: 'expiry', amount: -100, idempotencyKey: 'expiry:g' }),
      entry({ kind: 'chargeback', amount: -7_000_000, idempotencyKey: 'chargeback:p' }),
    ];
    for (const reported of [0, 1, 4_123_456, 9_999_999]) {
      const lines = buildStatementLines(entries, [usage({ charge: reported })]);
      const sum = lines.reduce((total, line) => total + line.amount, 0);
      expect(sum).toBe(entries.reduce((total, e) => total + e.amount, 0));
    }
  });
});

describe('statement totals', () => {
  it('closes at the opening plus every line, and totals each section', () => {
    const totals = statementTotals(5_000_000, [
      { section: 'topups', amount: 10_000_000 },
      { section: 'charges', amount: -2_500_000 },
      { section: 'charges', amount: -1_000_000 },
      { section: 'adjustments', amount: 300_000 },
    ]);
    expect(totals.closing).toBe(11_800_000);
    expect(totals.sections).toEqual({
      topups: 10_000_000,
      grants: 0,
      charges: -3_500_000,
      adjustments: 300_000,
      'topup-refunds': 0,
      chargebacks: 0,
      expiries: 0,
    });
  });

  it('opens a first statement at 0 and may close below 0 (a chargeback)', () => {
    expect(statementTotals(0, [{ section: 'chargebacks', amount: -4_000_000 }]).closing).toBe(-4_000_000);
  });
});
