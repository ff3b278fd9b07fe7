import { assertMicros, HOUR_MS, isMonthlyOnly, monthWindow, upFrontMonthlyCharge } from '../rating';
import { costProfile, CostProfile, InstanceCost, LiveCosts, meteredPerHour } from './burn-rate';

/**
 * How far ahead the runway is projected: 366 days, which covers the longest runway warning the settings accept
 * (8760 hours). Credit that lasts longer is reported as outlasting the horizon rather than as a number of hours.
 */
export const RUNWAY_HORIZON_HOURS = 366 * 24;

export interface RunwayInput {
  /** Micro-credits. */
  balance: number;
  /** Micro-credits; the balance falling below it suspends the instances. */
  suspensionThreshold: number;
  now: Date;
  /** The billing time zone: where months, and so caps and up-front charges, turn. */
  timeZone: string;
  instances: InstanceCost[];
  /**
   * Micro-credits an hour spent whatever the caps and the month: rules and the counters' estimate (meteredPerHour).
   * Spent evenly, like an uncapped instance.
   */
  meteredPerHour: number;
}

export interface Runway {
  /** Hours from now until the balance falls below the suspension threshold; null when not within the horizon. */
  hours: number | null;
  /** True when something costs credit but not enough to reach the threshold within the horizon. */
  outlastsHorizon: boolean;
}

const NEVER: Runway = { hours: null, outlastsHorizon: false };
const OUTLASTS: Runway = { hours: null, outlastsHorizon: true };

/*
 * Amounts are carried as BigInt micro-credits times HOUR_MS, so an instance billed `rate` micro-credits an hour
 * spends exactly `rate` of these units each millisecond and every step stays an integer. Within an hour the
 * credit is spent evenly (the runway of an uncapped rate is (balance − threshold) / rate, as it always was); the
 * settled balance is the starting point, so the hour in progress is not yet counted.
 */
const SCALE = BigInt(HOUR_MS);

/**
 * When the balance falls below the suspension threshold if every instance stays in its current state: each costs
 * its hourly rate until its plan's monthly cap is reached, then nothing until the month turns, when the cap
 * starts again and monthly-only plans pay their month up front. Rules and counters (`meteredPerHour`) cost the
 * same every hour. Within a month the spend only changes pace when
 * a cap is reached, so the projection jumps from one such moment to the next instead of stepping hour by hour.
 */
export function projectRunway(input: RunwayInput): Runway {
  const profiles = input.instances.map((cost) => ({ cost, ...costProfile(cost) }));
  const metered = assertMicros(input.meteredPerHour, 'rules and counters per hour');
  if (metered === 0 && !profiles.some(costsSomething)) return NEVER;
  let headroom = (BigInt(input.balance) - BigInt(input.suspensionThreshold)) * SCALE;
  if (headroom < 0n) return { hours: 0, outlastsHorizon: false };

  const startMs = input.now.getTime();
  const horizonMs = startMs + RUNWAY_HORIZON_HOURS * HOUR_MS;
  const hoursSince = (ms: number) => (ms - startMs) / HOUR_MS;
  let monthStartMs = startMs;
  let capLeft = profiles.map((p) => p.capLeft);
  for (;;) {
    const turnMs = nextMonthTurn(monthStartMs, input.timeZone);
    const endMs = Math.min(turnMs, horizonMs);
    const crossing = spendWithinMonth(profiles, capLeft, metered, monthStartMs, endMs, headroom);
    if (crossing.atMs !== null) return { hours: hoursSince(crossing.atMs), outlastsHorizon: false };
    headroom = crossing.headroom;
    if (endMs === horizonMs) return OUTLASTS;
    // The month turns: every cap starts again, and monthly-only plans pay the new month at once.
    for (const p of profiles) headroom -= BigInt(upFront(p.cost, new Date(turnMs), input.timeZone)) * SCALE;
    if (headroom < 0n) return { hours: hoursSince(turnMs), outlastsHorizon: false };
    capLeft = profiles.map((p) => p.cap);
    monthStartMs = turnMs;
  }
}

/** The runway of what a user's live instances cost: the one figure the widget shows and the thresholds warn by. */
export function runwayOf(costs: LiveCosts, account: Omit<RunwayInput, 'instances' | 'meteredPerHour'>): Runway {
  return projectRunway({ ...account, instances: costs.instances, meteredPerHour: meteredPerHour(costs) });
}

function upFront(cost: InstanceCost, monthStart: Date, timeZone: string): number {
  return upFrontMonthlyCharge(cost.plan, monthStart, timeZone);
}

/** Whether the instance costs anything in some month: by the hour (under a cap above 0) or up front. */
function costsSomething(profile: CostProfile & { cost: InstanceCost }): boolean {
  const { plan } = profile.cost;
  return (profile.rate > 0 && profile.cap !== 0) || (isMonthlyOnly(plan) && plan.monthlyPrice > 0);
}

/**
 * Spends from `fromMs` to `toMs` within one month. An instance under a cap stops spending when the cap is used
 * up; the rest, and `metered` (rules and counters), spend all the way. Returns the moment the spend first exceeds
 * the headroom, or the headroom left at `toMs`.
 */
function spendWithinMonth(
  profiles: CostProfile[],
  capLeft: (number | null)[],
  metered: number,
  fromMs: number,
  toMs: number,
  headroom: bigint,
): { atMs: number | null; headroom: bigint } {
  let rate = BigInt(metered);
  const capsReached = new Map<number, CapReached>();
  profiles.forEach((p, i) => {
    const left = capLeft[i];
    if (p.rate === 0 || left === 0) return;
    rate += BigInt(p.rate);
    if (left !== null) addCapReached(capsReached, fromMs, BigInt(p.rate), BigInt(left) * SCALE);
  });
  const steps = [...capsReached].sort(([a], [b]) => a - b);
  let atMs = fromMs;
  for (const [reachedAtMs, reached] of [...steps, [toMs, NOTHING_REACHED] as const]) {
    const stopMs = Math.min(reachedAtMs, toMs);
    const reaches = stopMs === reachedAtMs;
    const spend = rate * BigInt(stopMs - atMs) - (reaches ? reached.overshoot : 0n);
    if (spend > headroom) return { atMs: atMs + Number(headroom) / Number(rate), headroom };
    headroom -= spend;
    atMs = stopMs;
    if (!reaches || atMs === toMs) break;
    rate -= reached.rate;
  }
  return { atMs: null, headroom };
}

/** The instances whose caps run out in one millisecond: their rates, and what they would spend beyond the caps. */
interface CapReached {
  rate: bigint;
  overshoot: bigint;
}

const NOTHING_REACHED: CapReached = { rate: 0n, overshoot: 0n };

/**
 * A cap rarely runs out on a whole millisecond: the instance is counted as spending until the millisecond that
 * covers it, and what that counts beyond the cap is handed back then, so amounts stay exact at every step.
 */
function addCapReached(caps: Map<number, CapReached>, fromMs: number, rate: bigint, left: bigint): void {
  const spanMs = (left + rate - 1n) / rate;
  const atMs = fromMs + Number(spanMs);
  const previous = caps.get(atMs) ?? NOTHING_REACHED;
  caps.set(atMs, { rate: previous.rate + rate, overshoot: previous.overshoot + rate * spanMs - left });
}

/**
 * Where the cap month after the one containing `ms` begins: the first whole hour starting at or after the month's
 * end, since settlement files each hour under the month its start falls in.
 */
function nextMonthTurn(ms: number, timeZone: string): number {
  const hourStartMs = Math.floor(ms / HOUR_MS) * HOUR_MS;
  const endMs = monthWindow(new Date(hourStartMs), timeZone).end.getTime();
  return Math.ceil(endMs / HOUR_MS) * HOUR_MS;
}
