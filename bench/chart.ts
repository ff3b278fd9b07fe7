/**
 * Draws docs/bench-cost-growth.svg — settlement wall time against instance-hours, single server and Galera —
 * from a bench:billing results file. Hand-written SVG: no charting package for one chart.
 *
 *   npx ts-node --transpile-only bench/chart.ts [bench/results/billing-<date>.json]
 *
 * Without an argument it takes the newest full (not quick, not SQLite) billing results file. bench:billing calls
 * drawCostGrowthChart itself at the end of a full run.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GrowthPoint } from './billing/series';

interface ChartInput {
  at: string;
  environment: { server: string };
  summary: { growth: { single: GrowthPoint[]; galera: GrowthPoint[]; galeraSkipped?: string } };
}

const WIDTH = 780;
const HEIGHT = 400;
const PLOT = { left: 70, right: 250, top: 40, bottom: 50 };

const SERIES = [
  { server: 'single', shape: 'hourly', label: 'one server, one hour', color: '#1f77b4', dash: '' },
  { server: 'single', shape: 'catch-up', label: 'one server, 24 h catch-up', color: '#1f77b4', dash: '6 4' },
  { server: 'galera', shape: 'hourly', label: 'Galera ×3, one hour', color: '#d62728', dash: '' },
  { server: 'galera', shape: 'catch-up', label: 'Galera ×3, 24 h catch-up', color: '#d62728', dash: '6 4' },
] as const;

/** Log-log axes: a linear cost is a line of slope 1, drawn dotted through the smallest single-server point. */
export function drawCostGrowthChart(report: ChartInput, file: string): void {
  writeFileSync(file, costGrowthSvg(report));
}

export function costGrowthSvg(report: ChartInput): string {
  const { single, galera, galeraSkipped } = report.summary.growth;
  const points = [...single, ...galera];
  if (points.length === 0) throw new Error('the results hold no growth series');
  const xs = points.map((p) => p.instanceHours);
  const ys = points.map((p) => p.wallMs / 1000);
  const [x0, x1] = decades(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = decades(Math.min(...ys), Math.max(...ys));
  const plotW = WIDTH - PLOT.left - PLOT.right;
  const plotH = HEIGHT - PLOT.top - PLOT.bottom;
  const x = (v: number) => PLOT.left + ((Math.log10(v) - x0) / (x1 - x0)) * plotW;
  const y = (v: number) => PLOT.top + plotH - ((Math.log10(v) - y0) / (y1 - y0)) * plotH;

  const parts: string[] = [];
  for (let d = x0; d <= x1; d++) {
    parts.push(line(x(10 ** d), PLOT.top, x(10 ** d), PLOT.top + plotH, '#ddd'));
    parts.push(text(x(10 ** d), PLOT.top + plotH + 18, count(10 ** d), 'middle'));
  }
  for (let d = y0; d <= y1; d++) {
    parts.push(line(PLOT.left, y(10 ** d), PLOT.left + plotW, y(10 ** d), '#ddd'));
    parts.push(text(PLOT.left - 8, y(10 ** d) + 4, `${10 ** d >= 1 ? 10 ** d : (10 ** d).toFixed(-d)} s`, 'end'));
  }
  parts.push(`<rect x="${PLOT.left}" y="${PLOT.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  const base = single.filter((p) => p.shape === 'hourly').sort((a, b) => a.instanceHours - b.instanceHours)[0];
  if (base) {
    const at = (v: number) => (base.wallMs / 1000) * (v / base.instanceHours);
    const end = Math.min(10 ** x1, base.instanceHours * 10 ** (y1 - Math.log10(base.wallMs / 1000)));
    parts.push(line(x(base.instanceHours), y(at(base.instanceHours)), x(end), y(at(end)), '#888', '2 3'));
  }
  SERIES.forEach((series, i) => {
    const run = (series.server === 'single' ? single : galera)
      .filter((p) => p.shape === series.shape)
      .sort((a, b) => a.instanceHours - b.instanceHours);
    const legendY = PLOT.top + 10 + i * 20;
    parts.push(line(WIDTH - PLOT.right + 12, legendY, WIDTH - PLOT.right + 36, legendY, series.color, series.dash, 2));
    parts.push(text(WIDTH - PLOT.right + 40, legendY + 4, run.length ? series.label : `${series.label} (not run)`));
    if (run.length === 0) return;
    const path = run.map((p, j) => `${j ? 'L' : 'M'}${r(x(p.instanceHours))},${r(y(p.wallMs / 1000))}`).join(' ');
    parts.push(
      `<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2" stroke-dasharray="${series.dash}"/>`,
    );
    for (const p of run) {
      parts.push(`<circle cx="${r(x(p.instanceHours))}" cy="${r(y(p.wallMs / 1000))}" r="3" fill="${series.color}"/>`);
    }
  });
  parts.push(line(WIDTH - PLOT.right + 12, PLOT.top + 90, WIDTH - PLOT.right + 36, PLOT.top + 90, '#888', '2 3'));
  parts.push(text(WIDTH - PLOT.right + 40, PLOT.top + 94, 'linear (slope 1)'));
  if (galera.length === 0 && galeraSkipped) {
    parts.push(text(WIDTH - PLOT.right + 12, PLOT.top + 120, 'Galera skipped:'));
    parts.push(text(WIDTH - PLOT.right + 12, PLOT.top + 136, galeraSkipped.slice(0, 24)));
  }
  parts.push(text(PLOT.left + plotW / 2, HEIGHT - 10, 'instance-hours settled (log)', 'middle'));
  parts.push(
    `<text x="16" y="${PLOT.top + plotH / 2}" transform="rotate(-90 16 ${PLOT.top + plotH / 2})" ` +
      `text-anchor="middle">settlement wall time (log)</text>`,
  );
  parts.push(
    text(PLOT.left, 22, `Settlement cost growth — ${escapeXml(report.environment.server)}, ${report.at.slice(0, 10)}`),
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
    `font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="#fff"/>\n` +
    `${parts.join('\n')}\n</svg>\n`
  );
}

/** The whole decades around [min, max], as exponents (9,984 instance-hours, 24 h × 416 instances, counts as 10k). */
function decades(min: number, max: number): [number, number] {
  const low = Math.floor(Math.log10(min) + 0.01);
  return [low, Math.max(low + 1, Math.ceil(Math.log10(max)))];
}

const r = (n: number) => Math.round(n * 10) / 10;
const count = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function line(x1: number, y1: number, x2: number, y2: number, color: string, dash = '', width = 1): string {
  const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<line x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${color}" stroke-width="${width}"${dashed}/>`;
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end' = 'start'): string {
  return `<text x="${r(x)}" y="${r(y)}" text-anchor="${anchor}">${escapeXml(content)}</text>`;
}

if (require.main === module) {
  const root = join(__dirname, '..');
  const directory = join(root, 'bench', 'results');
  const file =
    process.argv[2] ??
    join(
      directory,
      readdirSync(directory)
        .filter((name) => /^billing-\d{4}-\d{2}-\d{2}\.json$/.test(name))
        .sort()
        .reverse()[0] ?? '',
    );
  const out = join(root, 'docs', 'bench-cost-growth.svg');
  drawCostGrowthChart(JSON.parse(readFileSync(file, 'utf8')) as ChartInput, out);
  console.log(`drew ${out} from ${file}`);
}
