import fc from 'fast-check';
import { splitHour } from './hour-split';
import { HOUR_MS, hourStartOf } from './time-windows';
import { BillableState, Segment } from './types';

const HOUR = new Date('2026-03-10T10:00:00Z');
const t = (clock: string) => new Date(`2026-03-10T${clock}Z`);
const seg = (from: string, to: string | null, state: BillableState = 'running', planId = 1): Segment => ({
  from: t(from),
  to: to === null ? null : t(to),
  state,
  planId,
});

describe('splitHour', () => {
  it('counts an open segment to the end of the hour', () => {
    expect(splitHour([seg('08:00:00', null)], HOUR)).toEqual([{ planId: 1, state: 'running', seconds: 3600 }]);
    expect(splitHour([seg('10:15:00', null)], HOUR)).toEqual([{ planId: 1, state: 'running', seconds: 2700 }]);
  });

  it('splits the hour at a state change', () => {
    expect(splitHour([seg('09:00:00', '10:20:00'), seg('10:20:00', null, 'stopped')], HOUR)).toEqual([
      { planId: 1, state: 'running', seconds: 1200 },
      { planId: 1, state: 'stopped', seconds: 2400 },
    ]);
  });

  it('ignores what lies outside the hour', () => {
    expect(splitHour([seg('08:00:00', '10:00:00')], HOUR)).toEqual([]);
    expect(splitHour([seg('11:00:00', null)], HOUR)).toEqual([]);
    expect(splitHour([seg('09:00:00', '12:00:00')], HOUR)).toEqual([{ planId: 1, state: 'running', seconds: 3600 }]);
  });

  it('merges repeated states and puts the state the hour ended in last', () => {
    const segments = [seg('10:00:00', '10:10:00'), seg('10:10:00', '10:20:00', 'stopped'), seg('10:20:00', null)];
    expect(splitHour(segments, HOUR)).toEqual([
      { planId: 1, state: 'stopped', seconds: 600 },
      { planId: 1, state: 'running', seconds: 3000 },
    ]);
  });

  it('keeps first-appearance order for the other buckets', () => {
    const segments = [
      seg('10:00:00', '10:10:00', 'running'),
      seg('10:10:00', '10:20:00', 'stopped'),
      seg('10:20:00', '10:30:00', 'running'),
      seg('10:30:00', null, 'suspended'),
    ];
    expect(splitHour(segments, HOUR).map((b) => [b.state, b.seconds])).toEqual([
      ['running', 1200],
      ['stopped', 600],
      ['suspended', 1800],
    ]);
  });

  it('keeps plans apart after a resize', () => {
    expect(splitHour([seg('09:00:00', '10:30:00', 'running', 1), seg('10:30:00', null, 'running', 2)], HOUR)).toEqual([
      { planId: 1, state: 'running', seconds: 1800 },
      { planId: 2, state: 'running', seconds: 1800 },
    ]);
  });

  it('gives each second to the state it began in, so sub-second changes never add up past the hour', () => {
    const segments = [seg('10:00:00.400', '10:30:00.400'), seg('10:30:00.400', null, 'stopped')];
    // Second 10:00:00 began before the instance existed; 10:30:00 began while it was running.
    expect(splitHour(segments, HOUR)).toEqual([
      { planId: 1, state: 'running', seconds: 1800 },
      { planId: 1, state: 'stopped', seconds: 1799 },
    ]);
    // Stopped half a second before the hour ended: the last second had already begun running.
    expect(splitHour([seg('10:00:00', '10:59:59.500'), seg('10:59:59.500', null, 'stopped')], HOUR)).toEqual([
      { planId: 1, state: 'running', seconds: 3600 },
    ]);
  });

  it('accepts segments in any order and zero-length ones at the same instant', () => {
    const segments = [
      seg('10:20:00', null, 'stopped'),
      seg('10:05:00', '10:05:00', 'stopped'),
      seg('10:05:00', '10:20:00'),
    ];
    expect(splitHour(segments, HOUR)).toEqual([
      { planId: 1, state: 'running', seconds: 900 },
      { planId: 1, state: 'stopped', seconds: 2400 },
    ]);
  });

  it('refuses overlapping or backwards segments and a misaligned hour', () => {
    expect(() => splitHour([seg('10:00:00', '10:30:00'), seg('10:29:59', null, 'stopped')], HOUR)).toThrow(/overlap/);
    expect(() => splitHour([seg('10:00:00', null), seg('10:30:00', null, 'stopped')], HOUR)).toThrow(/overlap/);
    expect(() => splitHour([seg('10:30:00', '10:00:00')], HOUR)).toThrow(/before it starts/);
    expect(() => splitHour([seg('10:00:00', null)], t('10:00:01'))).toThrow(/start of an hour/);
  });

  // A life: contiguous segments from `start`, each `lengths[i]` ms long, the last one maybe open.
  const life = (unitMs: number) =>
    fc
      .record({
        start: fc.integer({ min: 0, max: 3 * HOUR_MS }),
        parts: fc.array(
          fc.record({
            length: fc.integer({ min: 0, max: Math.floor((2 * HOUR_MS) / unitMs) }),
            state: fc.constantFrom<BillableState>('running', 'stopped', 'suspended'),
            planId: fc.constantFrom(1, 2),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        open: fc.boolean(),
      })
      .map(({ start, parts, open }) => {
        const base = Date.UTC(2026, 2, 10) + Math.floor(start / unitMs) * unitMs;
        let at = base;
        const segments: Segment[] = parts.map((p, i) => {
          const from = at;
          at += p.length * unitMs;
          const to = open && i === parts.length - 1 ? null : new Date(at);
          return { from: new Date(from), to, state: p.state, planId: p.planId };
        });
        return { segments, base, end: at };
      });

  const hoursCovering = (fromMs: number, toMs: number) => {
    const hours: Date[] = [];
    for (let h = hourStartOf(new Date(fromMs)).getTime(); h < toMs; h += HOUR_MS) hours.push(new Date(h));
    return hours;
  };

  it('adds up, hour by hour, to each segment’s whole seconds', () => {
    fc.assert(
      fc.property(life(1000), ({ segments, base, end }) => {
        const closed = segments.map((s) => ({ ...s, to: s.to ?? new Date(end) }));
        const expected = new Map<string, number>();
        for (const s of closed) {
          const key = `${s.planId}/${s.state}`;
          expected.set(key, (expected.get(key) ?? 0) + (s.to.getTime() - s.from.getTime()) / 1000);
        }
        const summed = new Map<string, number>();
        for (const hour of hoursCovering(base, end)) {
          const buckets = splitHour(closed, hour);
          expect(buckets.reduce((sum, b) => sum + b.seconds, 0)).toBeLessThanOrEqual(3600);
          for (const b of buckets)
            summed.set(`${b.planId}/${b.state}`, (summed.get(`${b.planId}/${b.state}`) ?? 0) + b.seconds);
        }
        for (const [key, seconds] of expected) expect(summed.get(key) ?? 0).toBe(seconds);
      }),
    );
  });

  it('with millisecond boundaries, never exceeds the hour and loses no second over a whole life', () => {
    fc.assert(
      fc.property(life(1), ({ segments, base, end }) => {
        const closed = segments.map((s) => ({ ...s, to: s.to ?? new Date(end) }));
        let total = 0;
        for (const hour of hoursCovering(base, end)) {
          const seconds = splitHour(closed, hour).reduce((sum, b) => sum + b.seconds, 0);
          expect(seconds).toBeLessThanOrEqual(3600);
          total += seconds;
        }
        // Every second that began while the instance existed is billed exactly once.
        expect(total).toBe(Math.ceil(end / 1000) - Math.ceil(base / 1000));
      }),
    );
  });

  it('bills a fully covered hour as exactly 3600 seconds ending in the final state', () => {
    fc.assert(
      fc.property(life(1000), ({ segments, base, end }) => {
        const hour = hourStartOf(new Date(base + HOUR_MS - 1));
        const hourEnd = hour.getTime() + HOUR_MS;
        fc.pre(hour.getTime() >= base && (segments[segments.length - 1].to === null || end >= hourEnd));
        const buckets = splitHour(segments, hour);
        expect(buckets.reduce((sum, b) => sum + b.seconds, 0)).toBe(3600);
        const final = segments.find((s) => s.from.getTime() < hourEnd && (s.to?.getTime() ?? Infinity) >= hourEnd)!;
        expect(buckets[buckets.length - 1]).toMatchObject({ planId: final.planId, state: final.state });
      }),
    );
  });
});
