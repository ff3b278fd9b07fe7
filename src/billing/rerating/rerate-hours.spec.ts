import fc from 'fast-check';
import {
  HOUR_MS,
  hourPieces,
  MonthToDate,
  monthToDateKey,
  PlanPricing,
  RatedPiece,
  rateInstanceHour,
  Segment,
} from '../rating';
import { CurrentRow, rerateHours } from './rerate-hours';

type State = Segment['state'];
type EventType = 'stopped' | 'started' | 'suspended' | 'resumed' | 'resized' | 'terminated';
interface HostEvent {
  type: EventType;
  atMs: number;
  planId: number;
}

const NEXT: Record<State, EventType[]> = {
  running: ['stopped', 'suspended', 'resized', 'terminated'],
  stopped: ['started', 'resized', 'terminated'],
  suspended: ['resumed', 'terminated'],
};

const pricing = (capped: boolean): Map<number, PlanPricing> =>
  new Map([
    [
      1,
      {
        planId: 1,
        hourlyPrice: 1_000_000,
        monthlyPrice: capped ? 7_300_000 : null,
        stoppedHourlyPrice: 200_000,
        suspendedHourlyPrice: null,
      },
    ],
    [
      2,
      { planId: 2, hourlyPrice: 2_500_001, monthlyPrice: null, stoppedHourlyPrice: null, suspendedHourlyPrice: 10_000 },
    ],
    [
      3,
      { planId: 3, hourlyPrice: null, monthlyPrice: 30_000_000, stoppedHourlyPrice: null, suspendedHourlyPrice: null },
    ],
  ]);

/** The instance's life from the events known so far: each closes the open segment and opens the next. */
function segmentsOf(startMs: number, events: readonly HostEvent[]): Segment[] {
  const segments: Segment[] = [{ from: new Date(startMs), to: null, state: 'running', planId: 1 }];
  for (const event of events) {
    const open = segments[segments.length - 1];
    open.to = new Date(event.atMs);
    if (event.type === 'terminated') break;
    const state: State =
      event.type === 'stopped'
        ? 'stopped'
        : event.type === 'suspended'
          ? 'suspended'
          : event.type === 'resized'
            ? open.state
            : 'running';
    segments.push({ from: new Date(event.atMs), to: null, state, planId: event.planId });
  }
  return segments;
}

const total = (rows: readonly { charge: number }[]) => rows.reduce((sum, row) => sum + row.charge, 0);

describe('rerateHours', () => {
  it('leaves the bill exactly as if every event had arrived on time, for any order of types and any delay in the window', () => {
    const scenario = fc.record({
      zone: fc.constantFrom('UTC', 'Asia/Kolkata', 'America/St_Johns', 'Asia/Kathmandu'),
      granularity: fc.constantFrom(1, 60, 900, 3600),
      capped: fc.boolean(),
      // Start a few hours before April begins in every zone above, so months and caps turn inside the run.
      startHour: fc.integer({
        min: Date.parse('2026-03-31T10:00:00Z') / HOUR_MS,
        max: Date.parse('2026-03-31T20:00:00Z') / HOUR_MS,
      }),
      steps: fc.array(
        fc.record({
          pick: fc.nat(),
          gapSeconds: fc.integer({ min: 1, max: 3 * 3600 }),
          delaySeconds: fc.integer({ min: 0, max: 10 * 3600 }),
          plan: fc.constantFrom(1, 2, 3),
        }),
        { maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(scenario, ({ zone, granularity, capped, startHour, steps }) => {
        const prices = pricing(capped);
        const startMs = startHour * HOUR_MS + 17_500;
        const horizonMs = startHour * HOUR_MS + 30 * HOUR_MS;
        // A valid walk through the lifecycle, each event delivered late (in the order they happened).
        const events: (HostEvent & { deliveredMs: number })[] = [];
        let state: State = 'running';
        let planId = 1;
        let atMs = startMs;
        let deliveredMs = startMs;
        for (const step of steps) {
          const type: EventType = NEXT[state][step.pick % NEXT[state].length];
          atMs += step.gapSeconds * 1000 + 250;
          if (atMs >= horizonMs - HOUR_MS) break;
          if (type === 'resized') {
            if (step.plan === planId) continue;
            planId = step.plan;
          }
          deliveredMs = Math.max(deliveredMs, atMs + step.delaySeconds * 1000);
          events.push({ type, atMs, planId, deliveredMs });
          if (type === 'terminated') break;
          state =
            type === 'stopped'
              ? 'stopped'
              : type === 'suspended'
                ? 'suspended'
                : type === 'resized'
                  ? state
                  : 'running';
        }

        let rows: CurrentRow[] = [];
        let ledger = 0;
        let settledUntil = startHour * HOUR_MS;
        const known: HostEvent[] = [];
        const settleUpTo = (nowMs: number) => {
          for (; settledUntil + HOUR_MS <= nowMs; settledUntil += HOUR_MS) {
            const monthToDate: MonthToDate = new Map();
            for (const row of rows) {
              const key = monthToDateKey(row.planId, row.monthKey);
              monthToDate.set(key, (monthToDate.get(key) ?? 0) + row.charge);
            }
            const rated = rateInstanceHour(
              segmentsOf(startMs, known),
              settledUntil,
              hourPieces(settledUntil, zone),
              granularity,
              prices,
              zone,
              monthToDate,
            );
            rows.push(...rated.map((row) => ({ ...row, revision: 0 })));
            ledger += total(rated);
          }
        };
        for (const event of events) {
          settleUpTo(event.deliveredMs);
          known.push(event);
          if (event.atMs >= settledUntil) continue;
          const fromHourMs = Math.floor(event.atMs / HOUR_MS) * HOUR_MS;
          for (const revision of rerateHours({
            segments: segmentsOf(startMs, known),
            pricing: prices,
            timeZone: zone,
            granularitySeconds: granularity,
            fromHourMs,
            untilMs: settledUntil,
            rows,
          })) {
            rows = rows.filter((row) => !revision.superseded.includes(row));
            rows.push(...revision.rows.map((row) => ({ ...row, revision: revision.revision })));
            ledger += revision.delta;
          }
        }
        settleUpTo(horizonMs);

        // From scratch, knowing every event from the start.
        const fresh: RatedPiece[] = [];
        const monthToDate: MonthToDate = new Map();
        for (let hour = startHour * HOUR_MS; hour < horizonMs; hour += HOUR_MS) {
          fresh.push(
            ...rateInstanceHour(
              segmentsOf(startMs, events),
              hour,
              hourPieces(hour, zone),
              granularity,
              prices,
              zone,
              monthToDate,
            ),
          );
        }
        expect(ledger).toBe(total(fresh));
        expect(total(rows)).toBe(total(fresh));
        const strip = ({ revision: _revision, ...row }: CurrentRow) => row;
        const order = (a: { hourStartMs: number; periodStartMs: number; planId: number }, b: typeof a) =>
          a.hourStartMs - b.hourStartMs || a.periodStartMs - b.periodStartMs || a.planId - b.planId;
        expect(rows.map(strip).sort(order)).toEqual([...fresh].sort(order));
      }),
      { numRuns: 300 },
    );
  });
});
