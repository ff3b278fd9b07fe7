import { checkCharges } from './charge-checks';
import type { ProofUsageRow } from './hour-checks';

const hour = (n: number) => Date.parse('2026-03-10T00:00:00Z') + n * 3_600_000;
const row = (n: number, patch: Partial<ProofUsageRow> = {}): ProofUsageRow => ({
  hourStartMs: hour(n),
  periodStartMs: hour(n),
  planId: 1,
  monthKey: '2026-03',
  runningSeconds: 3600,
  stoppedSeconds: 0,
  suspendedSeconds: 0,
  billedSeconds: 3600,
  runningRate: 1_000_000,
  stoppedRate: 500_000,
  suspendedRate: 0,
  upfrontCharge: 0,
  charge: 1_000_000,
  capped: false,
  ...patch,
});
const details = (rows: ProofUsageRow[]) => checkCharges(rows).map((f) => f.detail);

describe('checkCharges', () => {
  it('accepts charges rounded once from the row’s own seconds and rates', () => {
    // 1 s at 1/h is 277.78 micro-credits: rounded once, half up, to 278.
    const oneSecond = row(0, { runningSeconds: 1, billedSeconds: 1, charge: 278 });
    const mixed = row(1, { runningSeconds: 1800, stoppedSeconds: 1800, charge: 750_000 });
    expect(checkCharges([oneSecond, mixed, row(2)])).toEqual([]);
  });

  it('names a charge that is not what its seconds at its rates come to', () => {
    expect(details([row(0, { charge: 1_000_001 })])).toEqual([
      'the usage row on plan 1 for 2026-03-10T00:00Z charges 1.000001 for the hour, but 3600 s running at 1/h comes to 1',
    ]);
    expect(details([row(0, { charge: -1 })])).toHaveLength(1);
  });

  it('accepts a capped row below its uncapped charge, then only free hours that month on that plan', () => {
    const rows = [row(0), row(1, { charge: 400_000, capped: true }), row(2, { charge: 0, capped: true })];
    expect(checkCharges(rows)).toEqual([]);
    expect(details([row(0, { charge: 1_000_000, capped: true })])).toEqual([
      'the usage row on plan 1 for 2026-03-10T00:00Z is marked capped but charges 1, not less than the uncapped 1',
    ]);
    expect(details([row(1, { charge: 0, capped: true }), row(2, { charge: 1_000_000 })])).toEqual([
      'the usage row on plan 1 for 2026-03-10T02:00Z charges 1 after the monthly cap was reached at 2026-03-10T01:00Z',
    ]);
    // Another month, another cap.
    expect(checkCharges([row(1, { charge: 0, capped: true }), row(2, { monthKey: '2026-04' })])).toEqual([]);
  });

  it('accepts an up-front month only on the first row of the month on that plan', () => {
    const monthly = { runningRate: 0, stoppedRate: 0, charge: 0 };
    expect(checkCharges([row(0, { ...monthly, upfrontCharge: 5, charge: 5 }), row(1, monthly)])).toEqual([]);
    expect(details([row(0, monthly), row(1, { ...monthly, upfrontCharge: 5, charge: 5 })])).toEqual([
      "the usage row on plan 1 for 2026-03-10T01:00Z charges 0.000005 up front again: only the month's first hour on the plan does",
    ]);
  });
});
