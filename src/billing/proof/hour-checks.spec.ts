import { checkHours, checkSeconds, ProofUsageRow } from './hour-checks';
import type { ProofSegment } from './segment-checks';

const t = (clock: string) => Date.parse(`2026-03-10T${clock}Z`);
const seg = (from: string, to: string | null, planId = 1, state: ProofSegment['state'] = 'running'): ProofSegment => ({
  startedAtMs: t(from),
  endedAtMs: to === null ? null : t(to),
  state,
  planId,
});
const row = (hour: string, planId = 1, seconds: Partial<ProofUsageRow> = {}): ProofUsageRow => {
  const r = { runningSeconds: 3600, stoppedSeconds: 0, suspendedSeconds: 0, ...seconds };
  return {
    hourStartMs: t(`${hour}:00:00`),
    periodStartMs: t(`${hour}:00:00`),
    planId,
    monthKey: '2026-03',
    ...r,
    billedSeconds: r.runningSeconds + r.stoppedSeconds + r.suspendedSeconds,
    runningRate: 0,
    stoppedRate: 0,
    suspendedRate: 0,
    upfrontCharge: 0,
    charge: 0,
    capped: false,
  };
};
const life = (created: string, settled: string, terminated: string | null = null) => ({
  createdAtMs: t(created),
  terminatedAtMs: terminated === null ? null : t(terminated),
  settledUntilMs: t(settled),
});
const details = (findings: { detail: string }[]) => findings.map((f) => f.detail);

describe('checkHours', () => {
  // Plan 1 from 12:00, plan 2 from 13:30, terminated 14:20, settled up to 15:00.
  const resized = [seg('12:00:00', '13:30:00'), seg('13:30:00', '14:20:00', 2)];
  const healthy = [
    row('12'),
    row('13', 1, { runningSeconds: 1800 }),
    row('13', 2, { runningSeconds: 1800 }),
    row('14', 2),
  ];
  const terminated = life('12:00:00', '15:00:00', '14:20:00');

  it('accepts one row per plan that ran in each hour of the settled life', () => {
    expect(checkHours(terminated, resized, healthy)).toEqual({ findings: [], expectedHours: 3 });
    // Not settled past 13:00 yet: the 13:00 hour is not due.
    expect(checkHours(life('12:00:00', '13:00:00'), resized, [row('12')])).toEqual({ findings: [], expectedHours: 1 });
  });

  it('names missing hours, merging a run of them into one finding', () => {
    const open = life('12:00:00', '17:00:00');
    const { findings } = checkHours(open, [seg('12:00:00', null)], [row('12'), row('16')]);
    expect(details(findings)).toEqual(['no usage row for the 3 hours from 2026-03-10T13:00Z to 2026-03-10T16:00Z']);
    expect(findings[0]).toMatchObject({ kind: 'missing-hour', hours: 3, from: '2026-03-10T13:00:00.000Z' });
    expect(
      details(
        checkHours(
          terminated,
          resized,
          healthy.filter((r) => r.planId !== 2 || r.hourStartMs !== t('13:00:00')),
        ).findings,
      ),
    ).toEqual(['no usage row on plan 2 for 2026-03-10T13:00Z, though a segment on that plan ran then']);
  });

  it('names rows outside the settled life, twice-charged hours and plans that did not run', () => {
    const rows = [...healthy, row('11'), row('15', 2), row('12'), row('14', 1)];
    expect(details(checkHours(terminated, resized, rows).findings)).toEqual([
      "a usage row on plan 1 for 2026-03-10T11:00Z, outside the instance's settled life (2026-03-10T12:00Z to 2026-03-10T15:00Z)",
      '2 usage rows on plan 1 for 2026-03-10T12:00Z: that hour was charged more than once',
      'a usage row on plan 1 for 2026-03-10T14:00Z, though no segment on that plan ran then',
      "a usage row on plan 2 for 2026-03-10T15:00Z, outside the instance's settled life (2026-03-10T12:00Z to 2026-03-10T15:00Z)",
    ]);
  });

  it('expects no row for an hour that holds no whole second of the life', () => {
    const late = life('12:59:59.500', '14:00:00');
    expect(checkHours(late, [seg('12:59:59.500', null)], [row('13')])).toEqual({ findings: [], expectedHours: 1 });
    expect(checkHours(late, [seg('12:59:59.500', null)], [row('12'), row('13')]).findings[0].kind).toBe(
      'hour-outside-life',
    );
  });
});

describe('checkSeconds', () => {
  const segments = [seg('12:00:00', '12:20:00', 1, 'stopped'), seg('12:20:00', '12:50:00')];

  it('accepts exact seconds, rounded up only in the state the hour ended in', () => {
    expect(checkSeconds(segments, [row('12', 1, { stoppedSeconds: 1200, runningSeconds: 1800 })], [])).toEqual([]);
    expect(checkSeconds(segments, [row('12', 1, { stoppedSeconds: 1200, runningSeconds: 2400 })], [])).toEqual([]);
  });

  it('names seconds the segments do not hold', () => {
    expect(details(checkSeconds(segments, [row('12', 1, { stoppedSeconds: 1800, runningSeconds: 1800 })], []))).toEqual(
      ['the usage row on plan 1 for 2026-03-10T12:00Z bills 1800 s stopped, but the segments hold 1200 s'],
    );
    expect(details(checkSeconds(segments, [row('12', 1, { stoppedSeconds: 1200, runningSeconds: 1700 })], []))).toEqual(
      ['the usage row on plan 1 for 2026-03-10T12:00Z bills 1700 s running, but the segments hold 1800 s'],
    );
  });

  it('names rows whose seconds do not add up, and hours holding more than an hour', () => {
    const bad = { ...row('12', 1, { stoppedSeconds: 1200, runningSeconds: 1800 }), billedSeconds: 3600 };
    expect(details(checkSeconds(segments, [bad], []))).toEqual([
      "the usage row on plan 1 for 2026-03-10T12:00Z bills 3600 s, not the sum of its states' seconds",
    ]);
    expect(details(checkSeconds([seg('12:00:00', null)], [row('12'), row('12', 2)], []))).toContain(
      'the usage rows for 2026-03-10T12:00Z bill 7200 s, more than an hour holds',
    );
  });

  it('leaves hours with broken segments to the segment findings', () => {
    const overlapping = [seg('12:00:00', null), seg('12:30:00', null)];
    const finding = { from: '2026-03-10T12:30:00.000Z', to: null };
    expect(checkSeconds(overlapping, [row('12', 1, { runningSeconds: 10 })], [finding as never])).toEqual([]);
  });
});
