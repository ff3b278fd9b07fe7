import { dayKey, HOUR_MS, monthKey, monthWindow } from '../billing/rating';

/** What happens once a month's spend reaches the budget (100 %). */
export const BUDGET_ACTIONS = ['alert', 'block-new', 'stop'] as const;
export type BudgetAction = (typeof BUDGET_ACTIONS)[number];

export const DEFAULT_ALERT_LEVELS: readonly number[] = [50, 80, 100];
export const MIN_ALERT_LEVEL = 1;
export const MAX_ALERT_LEVEL = 1000;
export const MAX_ALERT_LEVELS = 10;
/** The level the action acts at; always alerted, since every action tells the user at least by email. */
export const FULL_BUDGET_LEVEL = 100;

/**
 * The levels the evaluation alerts at: the user's, and 100 % whatever they chose, in increasing order.
 * A user who asked for [50] still hears when the budget is used up, which is when the action acts.
 */
export function alertLevelsOf(levels: readonly number[]): number[] {
  return [...new Set([...levels, FULL_BUDGET_LEVEL])].sort((a, b) => a - b);
}

/**
 * Whether `spend` has reached `level` percent of `budget` (micro-credits). Nothing spent reaches nothing, so a
 * budget of 0 means "tell me (and act) at the first charge", not "alert at once". BigInt: spend × 100 may leave
 * the safe range.
 */
export function reachesLevel(spend: number, budget: number, level: number): boolean {
  return spend > 0 && BigInt(spend) * 100n >= BigInt(budget) * BigInt(level);
}

/** The levels among `levels` (as given) that `spend` has reached, in increasing order. */
export function levelsReached(spend: number, budget: number, levels: readonly number[]): number[] {
  return [...levels].sort((a, b) => a - b).filter((level) => reachesLevel(spend, budget, level));
}

/** Whether the action at 100 % applies: the month's spend has reached the whole budget. */
export function budgetUsedUp(spend: number, budget: number): boolean {
  return reachesLevel(spend, budget, FULL_BUDGET_LEVEL);
}

/** Percent of the budget spent, to one decimal, rounded down (never "100 %" before it is); null for a budget of 0. */
export function percentUsed(spend: number, budget: number): number | null {
  if (budget === 0) return null;
  if (spend <= 0) return 0;
  return Number((BigInt(spend) * 1000n) / BigInt(budget)) / 10;
}

/** The billing-zone month an instant falls in, with its [start, end) as epoch ms. */
export interface BudgetMonth {
  key: string;
  startMs: number;
  endMs: number;
}

export function budgetMonthOf(atMs: number, timeZone: string): BudgetMonth {
  const { start, end } = monthWindow(new Date(atMs), timeZone);
  return { key: monthKey(new Date(atMs), timeZone), startMs: start.getTime(), endMs: end.getTime() };
}

/**
 * The months a run at `now` evaluates: the month of the last complete hour (a charge is filed under the month its
 * hour starts in, so the run just after a month turns settles the old month's last hour) and the current one.
 * Only the current month's budget acts and forecasts; the older month only sends the alerts it still owes.
 */
export function monthsToEvaluate(now: Date, timeZone: string): { previous: BudgetMonth | null; current: BudgetMonth } {
  const current = budgetMonthOf(now.getTime(), timeZone);
  const lastHourStartMs = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const previous = budgetMonthOf(lastHourStartMs, timeZone);
  return { previous: previous.key === current.key ? null : previous, current };
}

/** "1st", "2nd", "3rd", "11th", "24th". */
export function ordinalDay(day: number): string {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th');
  return `${day}${suffix}`;
}

/** The local date ('YYYY-MM-DD') in the billing zone an instant falls on. */
export const localDate = (atMs: number, timeZone: string): string => dayKey(new Date(atMs), timeZone);

/** "at this rate you will reach your budget on the 24th": the sentence the widget, page and email show. */
export function forecastSentence(date: string): string {
  return `At this rate you will reach your budget on the ${ordinalDay(Number(date.slice(8, 10)))}.`;
}

/** "March 2026". */
export function budgetMonthLabel(key: string): string {
  const [year, month] = key.split('-').map(Number);
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** What the action does once the budget is used up, as the 100 % alert says it. */
export function actionTaken(action: BudgetAction, stopped: number): string {
  if (action === 'block-new') return 'New instances cannot be created until next month, or until you raise the budget.';
  if (action === 'stop') {
    return stopped > 0
      ? 'As your budget asks, your running instances are being stopped.'
      : 'Your budget stops running instances; none was running.';
  }
  return 'This is an alert only: your instances keep running.';
}

/** What the action will do when the budget is reached, as the forecast says it; null for an alert only. */
export function actionAhead(action: BudgetAction): string | null {
  if (action === 'block-new') return 'new instances cannot be created for the rest of the month.';
  if (action === 'stop') return 'your running instances will be stopped.';
  return null;
}
