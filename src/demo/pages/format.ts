import type { AccountStatus, CatalogPlan } from './api-types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "10 Mar 2026, 12:00 UTC": times on the pages are the API's UTC instants, said so. */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`;
  return `${day}, ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

/** "10 Mar, 14:00": for tables whose heading says UTC. */
export function formatShortDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]}, ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
}

export const instanceStateLabel = (state: string) => state.charAt(0).toUpperCase() + state.slice(1);

/** "2026-03" → "March 2026". */
export function monthLabel(month: string): string {
  const [year, index] = month.split('-').map(Number);
  return `${MONTH_NAMES[index - 1] ?? month} ${year}`;
}

/** "2026-03-07" → "7 Mar". */
export function shortDate(date: string): string {
  const [, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS[month - 1] ?? ''}`.trim();
}

const size = (mb: number) => (mb >= 1024 ? `${+(mb / 1024).toFixed(1)} GB` : `${mb} MB`);

/** "2 vCPU · 4 GB RAM · 50 GB disk · 1 GPU". */
export function planSpecs(plan: Pick<CatalogPlan, 'vcpus' | 'ramMb' | 'diskGb' | 'gpus'>): string {
  const parts = [`${plan.vcpus} vCPU`, `${size(plan.ramMb)} RAM`, `${plan.diskGb} GB disk`];
  if (plan.gpus > 0) parts.push(`${plan.gpus} GPU`);
  return parts.join(' · ');
}

/** How a plan is priced, in the viewer's currency: hourly, hourly with a monthly cap, or monthly only. */
export function planPrice(plan: Pick<CatalogPlan, 'hourlyPrice' | 'monthlyPrice'>): string {
  const { hourlyPrice, monthlyPrice } = plan;
  if (hourlyPrice && monthlyPrice) return `${hourlyPrice.formatted} an hour, at most ${monthlyPrice.formatted} a month`;
  if (hourlyPrice) return `${hourlyPrice.formatted} an hour`;
  if (monthlyPrice) return `${monthlyPrice.formatted} a month, charged by the month`;
  return 'no price set';
}

/** The short rate for a table cell. */
export function planRate(plan: Pick<CatalogPlan, 'hourlyPrice' | 'monthlyPrice'> | undefined): string {
  if (!plan) return '—';
  if (plan.hourlyPrice) return `${plan.hourlyPrice.formatted}/h`;
  if (plan.monthlyPrice) return `${plan.monthlyPrice.formatted}/month`;
  return '—';
}

const LEDGER_KINDS: Record<string, string> = {
  topup: 'Top-up',
  charge: 'Usage',
  adjustment: 'Adjustment',
  refund: 'Refund',
  grant: 'Promotional credit',
  expiry: 'Expired credit',
  'topup-refund': 'Top-up refunded',
  chargeback: 'Chargeback',
};

export const ledgerKindLabel = (kind: string) => LEDGER_KINDS[kind] ?? kind;

const STATUS_TEXT: Record<AccountStatus, string> = {
  ok: 'OK',
  low: 'Low balance',
  negative: 'Negative',
  suspended: 'Suspended',
  no_credit: 'No credit yet',
};

export const accountStatusText = (status: AccountStatus) => STATUS_TEXT[status] ?? status;
