import { shortDate } from './format';

/** What a day's cost is stacked by: the instances' own plans, resource rules, metered counters. */
export type ChartKind = 'instances' | 'rules' | 'counters';

export const CHART_KINDS: { kind: ChartKind; label: string; colour: string }[] = [
  { kind: 'instances', label: 'Instances', colour: '#1d4ed8' },
  { kind: 'rules', label: 'Resource rules', colour: '#0f766e' },
  { kind: 'counters', label: 'Counters', colour: '#c2410c' },
];

/** An amount in the report's currency: decimal text, and as shown. */
export interface ChartAmount {
  amount: string;
  formatted: string;
}

/**
 * One day of the report: its date, its cost in the report's currency (decimal text) and as shown, and that cost by
 * kind (without them, all of it is the instances').
 */
export interface ChartDay extends ChartAmount {
  date: string;
  kinds?: Record<ChartKind, ChartAmount>;
}

/** One kind's part of a day's bar, stacked from the axis up in CHART_KINDS order. */
export interface ChartSegment {
  kind: ChartKind;
  colour: string;
  y: number;
  height: number;
}

export interface ChartView {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** A bar a day: its whole height, and its segments (the instances' always, the others when above 0). */
  bars: { x: number; y: number; width: number; height: number; title: string; segments: ChartSegment[] }[];
  /** The kinds to name in a legend: empty when the month charged instances only. */
  legend: { kind: ChartKind; label: string; colour: string }[];
  yTicks: { x: number; y: number; label: string }[];
  xLabels: { x: number; label: string }[];
  /** The chart in one sentence, for the SVG's description. */
  summary: string;
}

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { left: 84, right: 12, top: 16, bottom: 36 };
const TICKS = 4;

/**
 * The y-axis: a round step (1, 2 or 5 × 10^n, never finer than the currency's smallest unit) and the
 * top tick at or above the highest bar, so every tick label is an amount the currency can show exactly.
 */
export function axisTicks(max: number, decimals: number, ticks = TICKS): { step: number; top: number } {
  const unit = 10 ** -decimals;
  const raw = Math.max(max / ticks, unit);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw - 1e-12) ?? 10 * magnitude;
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  return { step, top };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The daily-cost bar chart, laid out on the server: coordinates for the bars, the y-axis ticks and the day
 * labels, so the page draws it as plain SVG without a script. Amounts only set the geometry; every label a
 * person reads is the API's formatted amount or a tick in the report's currency.
 */
export function dailyCostChart(days: ChartDay[], currency: string, decimals = 2): ChartView {
  const plot = {
    left: MARGIN.left,
    right: WIDTH - MARGIN.right,
    top: MARGIN.top,
    bottom: HEIGHT - MARGIN.bottom,
  };
  const parts = days.map(kindValues);
  const values = parts.map((day) => day.reduce((sum, part) => sum + part.value, 0));
  const { step, top } = axisTicks(Math.max(0, ...values), decimals);
  const plotHeight = plot.bottom - plot.top;
  const band = days.length ? (plot.right - plot.left) / days.length : 0;
  const barWidth = Math.max(2, band * 0.7);
  const yOf = (value: number) => plot.bottom - (value / top) * plotHeight;

  const bars = days.map((day, i) => {
    const y = yOf(values[i]);
    let base = 0;
    const segments = parts[i].flatMap(({ kind, colour, value }) => {
      if (kind !== 'instances' && value === 0) return [];
      const [from, to] = [yOf(base), yOf(base + value)];
      base += value;
      return [{ kind, colour, y: round(to), height: round(from - to) }];
    });
    return {
      x: round(plot.left + i * band + (band - barWidth) / 2),
      y: round(y),
      width: round(barWidth),
      height: round(plot.bottom - y),
      title: `${shortDate(day.date)}: ${day.formatted}${kindsText(day)}`,
      segments,
    };
  });
  const shown = new Set(parts.flatMap((day) => day.filter((part) => part.value > 0).map((part) => part.kind)));
  const metered = shown.has('rules') || shown.has('counters');
  const legend = metered ? CHART_KINDS : [];
  const yTicks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => {
    const value = step * i;
    return { x: plot.left - 8, y: round(yOf(value)), label: value.toFixed(decimals) };
  });
  const xLabels = dayLabels(days.map((day) => Number(day.date.slice(8, 10)))).map((i) => ({
    x: round(plot.left + i * band + band / 2),
    label: String(Number(days[i].date.slice(8, 10))),
  }));

  const summary = describe(days, values, currency) + (metered ? ' Each day is stacked by kind.' : '');
  return { width: WIDTH, height: HEIGHT, plot, bars, legend, yTicks, xLabels, summary };
}

/** A day's parts, never below the axis (a refund shows as nothing), in CHART_KINDS order. */
function kindValues(day: ChartDay): { kind: ChartKind; colour: string; value: number }[] {
  const positive = (amount: string) => Math.max(0, Number(amount) || 0);
  return CHART_KINDS.map(({ kind, colour }) => ({
    kind,
    colour,
    value: day.kinds ? positive(day.kinds[kind].amount) : kind === 'instances' ? positive(day.amount) : 0,
  }));
}

/** " (instances $1.00, resource rules $0.10, counters $0.50)", for a day with rules or counters. */
function kindsText(day: ChartDay): string {
  const kinds = day.kinds;
  if (!kinds || (Number(kinds.rules.amount) === 0 && Number(kinds.counters.amount) === 0)) return '';
  return ` (${CHART_KINDS.map(({ kind, label }) => `${label.toLowerCase()} ${kinds[kind].formatted}`).join(', ')})`;
}

/**
 * Which days get a label: all of them when ten or fewer fit; otherwise the 1st, every 5th, and the last
 * (today, in the current month) unless it would touch the label before it.
 */
export function dayLabels(dayNumbers: number[]): number[] {
  if (dayNumbers.length <= 10) return dayNumbers.map((_, i) => i);
  const picked = dayNumbers.flatMap((day, i) => (day === 1 || day % 5 === 0 ? [i] : []));
  const last = dayNumbers.length - 1;
  const previous = picked[picked.length - 1] ?? -Infinity;
  if (previous !== last && last - previous >= 2) picked.push(last);
  return picked;
}

function describe(days: ChartDay[], values: number[], currency: string): string {
  if (!days.length) return 'No days to show.';
  let peak = 0;
  values.forEach((value, i) => {
    if (value > values[peak]) peak = i;
  });
  const range = `${shortDate(days[0].date)} to ${shortDate(days[days.length - 1].date)}`;
  if (values[peak] === 0) return `Daily cost in ${currency}, ${range}: nothing was charged.`;
  return `Daily cost in ${currency}, ${range}; the highest was ${days[peak].formatted} on ${shortDate(days[peak].date)}.`;
}
