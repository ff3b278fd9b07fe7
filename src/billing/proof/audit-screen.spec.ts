import { countHours, needsFullProof, UsageMonthAggregate } from './audit-screen';
import type { ProofSegment } from './segment-checks';

const H = 3_600_000;
const t = (clock: string) => Date.parse(`2026-03-10T${clock}Z`);
const seg = (from: string, to: string | null, planId: number): ProofSegment => ({
  startedAtMs: t(from),
  endedAtMs: to === null ? null : t(to),
  state: 'running',
  planId,
});
// Plan 1 from 12:00, plan 2 from 13:30, plan 1 again from 15:00; settled up to 17:00.
const life = { createdAtMs: t('12:00:00'), terminatedAtMs: null, settledUntilMs: t('17:00:00') };
const segments = [seg('12:00:00', '13:30:00', 1), seg('13:30:00', '15:00:00', 2), seg('15:00:00', null, 1)];
const month = (planId: number, first: string, hours: number, patch: Partial<UsageMonthAggregate> = {}) => ({
  planId,
  monthKey: '2026-03',
  rowCount: hours,
  hourCount: hours,
  pieceCount: hours,
  firstHourMs: t(first),
  lastHourMs: t(first) + (hours - 1) * H,
  outsideRows: 0,
  unbackedRows: 0,
  badRows: 0,
  upfrontRows: 0,
  firstUpfrontHourMs: null,
  firstCappedHourMs: null,
  lastChargedHourMs: null,
  ...patch,
});
// Plan 1 has hours 12, 13, 15, 16 (rows spread from 12 to 16); plan 2 has 13 and 14.
const healthy = () => [month(1, '12:00:00', 4, { lastHourMs: t('16:00:00') }), month(2, '13:00:00', 2)];

describe('countHours', () => {
  it('counts the hours that ranges cover together', () => {
    expect(countHours([])).toBe(0);
    expect(
      countHours([
        { first: 0, last: 2 * H },
        { first: H, last: 3 * H },
        { first: 5 * H, last: 5 * H },
      ]),
    ).toBe(5);
  });
});

describe('needsFullProof', () => {
  it('passes an instance whose sums prove every hour settled once', () => {
    expect(needsFullProof(life, segments, healthy())).toBe(false);
  });

  it.each<[string, (a: UsageMonthAggregate[]) => void]>([
    ['a row outside the life', (a) => (a[0].outsideRows = 1)],
    ['a row no segment backs', (a) => (a[1].unbackedRows = 1)],
    ['a row whose charge or seconds are off', (a) => (a[0].badRows = 1)],
    ['two rows for one hour', (a) => (a[0].rowCount = 5)],
    ['a missing hour', (a) => Object.assign(a[1], { rowCount: 1, hourCount: 1, pieceCount: 1 })],
    ['a missing plan', (a) => a.splice(1, 1)],
    ['two up-front charges', (a) => (a[0].upfrontRows = 2)],
    ['an up-front charge after the month began', (a) => (a[0].firstUpfrontHourMs = t('13:00:00'))],
    [
      'a charge after the cap',
      (a) => Object.assign(a[0], { firstCappedHourMs: t('13:00:00'), lastChargedHourMs: t('15:00:00') }),
    ],
    // Plan 2's two hours add up, but 13:00 sits in two months and 14:00 in none.
    [
      'one hour counted in two months',
      (a) => a.splice(1, 1, month(2, '13:00:00', 1), month(2, '13:00:00', 1, { monthKey: '2026-04' })),
    ],
  ])('sends %s to the full proof', (_name, tamper) => {
    const aggregates = healthy();
    tamper(aggregates);
    expect(needsFullProof(life, segments, aggregates)).toBe(true);
  });

  it('sends an instance with broken segments to the full proof', () => {
    expect(needsFullProof(life, segments.slice(0, 2), healthy())).toBe(true);
  });
});
