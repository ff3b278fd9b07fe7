import { billableHours, checkSegments, ProofSegment } from './segment-checks';

const t = (clock: string) => Date.parse(`2026-03-10T${clock}Z`);
const seg = (from: string, to: string | null, planId = 1, state: ProofSegment['state'] = 'running'): ProofSegment => ({
  startedAtMs: t(from),
  endedAtMs: to === null ? null : t(to),
  state,
  planId,
});
const life = (created: string, terminated: string | null = null, settled = '23:00:00') => ({
  createdAtMs: t(created),
  terminatedAtMs: terminated === null ? null : t(terminated),
  settledUntilMs: t(settled),
});
const kinds = (findings: { kind: string; from: string; to: string | null }[]) =>
  findings.map((f) => [f.kind, f.from.slice(11, 19), f.to?.slice(11, 19) ?? null]);

describe('billableHours', () => {
  it('gives the hours in which a whole second starts, as splitHour counts them', () => {
    expect(billableHours(t('12:10:00'), t('14:00:00'))).toEqual({ first: t('12:00:00'), last: t('13:00:00') });
    // 12:59:59.500 to 13:00:00.000 holds no whole second; 13:00:00.400 holds the 13:00:00 one.
    expect(billableHours(t('12:59:59.500'), t('13:00:00'))).toBeNull();
    expect(billableHours(t('12:59:59.500'), t('13:00:00.400'))).toEqual({ first: t('13:00:00'), last: t('13:00:00') });
    expect(billableHours(t('12:00:00'), t('12:00:00'))).toBeNull();
    expect(billableHours(t('12:00:00'), Number.POSITIVE_INFINITY)).toBeNull();
  });
});

describe('checkSegments', () => {
  it('accepts segments that tile the life, including zero-length ones at one instant', () => {
    const segments = [seg('12:00:00', '13:00:00'), seg('13:00:00', '13:00:00', 1, 'stopped'), seg('13:00:00', null)];
    expect(checkSegments(life('12:00:00'), segments)).toEqual([]);
    expect(checkSegments(life('12:00:00', '14:00:00'), [seg('12:00:00', '14:00:00')])).toEqual([]);
  });

  it('finds gaps at the start, between segments, and at the end', () => {
    expect(kinds(checkSegments(life('12:00:00'), [seg('12:30:00', '13:00:00'), seg('13:10:00', '13:20:00')]))).toEqual([
      ['segment-gap', '12:00:00', '12:30:00'],
      ['segment-gap', '13:00:00', '13:10:00'],
      ['segment-gap', '13:20:00', null],
    ]);
    expect(kinds(checkSegments(life('12:00:00', '15:00:00'), [seg('12:00:00', '14:00:00')]))).toEqual([
      ['segment-gap', '14:00:00', '15:00:00'],
    ]);
    expect(kinds(checkSegments(life('12:00:00'), []))).toEqual([['segment-gap', '12:00:00', null]]);
  });

  it('finds overlaps, including a second open segment', () => {
    const findings = checkSegments(life('12:00:00'), [
      seg('12:00:00', '13:30:00'),
      seg('13:00:00', null),
      seg('14:00:00', null),
    ]);
    expect(kinds(findings)).toEqual([
      ['segment-overlap', '13:00:00', '13:30:00'],
      ['segment-overlap', '14:00:00', null],
    ]);
    expect(findings[0].detail).toBe(
      'segments overlap from 2026-03-10T13:00:00.000Z to 2026-03-10T13:30:00.000Z: those seconds are billed twice',
    );
  });

  it('finds segments outside the life: before creation, open or running on after termination, reversed', () => {
    expect(kinds(checkSegments(life('12:00:00'), [seg('11:00:00', null)]))).toEqual([
      ['segment-bounds', '11:00:00', '12:00:00'],
    ]);
    expect(kinds(checkSegments(life('12:00:00', '13:00:00'), [seg('12:00:00', null)]))).toEqual([
      ['segment-bounds', '13:00:00', null],
    ]);
    expect(kinds(checkSegments(life('12:00:00', '13:00:00'), [seg('12:00:00', '13:30:00')]))).toEqual([
      ['segment-bounds', '13:00:00', '13:30:00'],
    ]);
    expect(checkSegments(life('12:00:00'), [seg('12:00:00', null), seg('13:00:00', '12:30:00')])[0]).toMatchObject({
      kind: 'segment-bounds',
      detail: 'the segment on plan 1 from 2026-03-10T13:00:00.000Z ends before it starts',
    });
  });
});
