import type { CatalogLocation, CatalogPlan, PlanGroup, Quote } from './api-types';
import { planPrice, planSpecs } from './format';
import { PluginApiError, PluginApiSession } from './plugin-api';

/** What the user picked so far, as sent by the form (query or body): text until checked against the catalog. */
export interface WizardChoice {
  groupId?: unknown;
  planId?: unknown;
  locationId?: unknown;
  name?: unknown;
}

export interface WizardProblem {
  message: string;
  nameErrors: string[];
}

const idOf = (value: unknown): number | null =>
  typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : null;

interface Option {
  id: number;
  checked: boolean;
}

export interface WizardView {
  groups: (Option & { name: string; description: string })[];
  plans: (Option & { name: string; specs: string; price: string })[] | null;
  locations: (Option & { name: string; description: string })[] | null;
  fullLocations: string;
  preview: QuotePreview | null;
  name: string;
  selected: { groupId: number | null; planId: number | null; locationId: number | null };
  canCreate: boolean;
  /** One sentence for screen readers after the preview changed. */
  announce: string;
  /** Why the last creation attempt failed, and what was wrong with the name. */
  problemMessage: string | null;
  nameErrors: string[];
}

export interface QuotePreview {
  rows: { label: string; value: string; testId: string }[];
  monthlyCapNote: string | null;
  /** The plan's resource rules and counters, in the quote's words. */
  lines: { text: string; testId: string }[];
  linesNote: string | null;
  canCreate: boolean;
  reason: string | null;
}

/**
 * The wizard's state for a choice: each step is filled from the catalog API only once the step before it is
 * decided, a choice that no longer fits the step before it (a plan of another group, a full location) is
 * dropped, and the quote is asked for as soon as plan and location are known.
 */
export async function loadWizard(
  api: PluginApiSession,
  choice: WizardChoice,
  problem: WizardProblem | null = null,
): Promise<WizardView> {
  const wantedGroup = idOf(choice.groupId);
  const [groups, groupPlans] = await Promise.all([
    api.get<PlanGroup[]>('/catalog/plan-groups'),
    wantedGroup === null ? null : api.get<CatalogPlan[]>('/catalog/plans', { groupId: wantedGroup }),
  ]);
  const group = groups.find((g) => g.id === wantedGroup) ?? null;
  const plans = group ? (groupPlans ?? []) : null;
  const plan = plans?.find((p) => p.id === idOf(choice.planId)) ?? null;
  const offered = plan ? await api.get<CatalogLocation[]>('/catalog/locations', { planId: plan.id }) : null;
  const open = offered?.filter((l) => l.hasCapacity) ?? null;
  const location = open?.find((l) => l.id === idOf(choice.locationId)) ?? null;
  const preview = plan && location ? await quotePreview(api, plan, location) : null;
  const name = typeof choice.name === 'string' ? choice.name.slice(0, 128) : '';

  return {
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description ?? '',
      checked: g.id === group?.id,
    })),
    plans:
      plans?.map((p) => ({
        id: p.id,
        name: p.name,
        specs: planSpecs(p),
        price: planPrice(p),
        checked: p.id === plan?.id,
      })) ?? null,
    locations:
      open?.map((l) => ({
        id: l.id,
        name: l.name,
        description: l.description ?? '',
        checked: l.id === location?.id,
      })) ?? null,
    fullLocations: (offered ?? [])
      .filter((l) => !l.hasCapacity)
      .map((l) => l.name)
      .join(', '),
    preview,
    name,
    selected: { groupId: group?.id ?? null, planId: plan?.id ?? null, locationId: location?.id ?? null },
    canCreate: preview?.canCreate ?? false,
    announce: announcement(preview),
    problemMessage: problem?.message ?? null,
    nameErrors: problem?.nameErrors ?? [],
  };
}

async function quotePreview(
  api: PluginApiSession,
  plan: CatalogPlan,
  location: CatalogLocation,
): Promise<QuotePreview> {
  let quote: Quote;
  try {
    quote = await api.post<Quote>('/me/quote', { planId: plan.id, locationId: location.id });
  } catch (error) {
    // A plan or location withdrawn between two clicks: say so in the preview rather than fail the page.
    if (error instanceof PluginApiError && error.status < 500) {
      return { rows: [], monthlyCapNote: null, lines: [], linesNote: null, canCreate: false, reason: error.message };
    }
    throw error;
  }
  const monthlyOnly = plan.hourlyPrice === null;
  const rows = [
    ...(monthlyOnly
      ? []
      : [
          { label: 'Per hour', value: quote.hourly.formatted, testId: 'quote-hourly' },
          { label: 'Per day', value: quote.daily.formatted, testId: 'quote-daily' },
        ]),
    {
      label: monthlyOnly ? 'Per month' : 'Per month (estimate)',
      value: quote.monthly.formatted,
      testId: 'quote-monthly',
    },
    { label: 'Balance now', value: quote.balance.formatted, testId: 'quote-balance' },
    {
      label: monthlyOnly ? 'Balance after this month is charged' : 'Balance after the first hour',
      value: quote.balanceAfterFirstHour.formatted,
      testId: 'quote-after',
    },
  ];
  const monthlyCapNote =
    quote.monthlyCap && !monthlyOnly
      ? `Hourly billing stops adding up at ${quote.monthlyCap.formatted} in a calendar month.`
      : null;
  return { rows, monthlyCapNote, ...meteredLines(quote), canCreate: quote.canCreate, reason: quote.reason };
}

/** What else the plan bills, and which of it the figures above count (the quote's `inEstimate`). */
function meteredLines(quote: Quote): Pick<QuotePreview, 'lines' | 'linesNote'> {
  const lines = [
    ...quote.rules.map((rule) => ({ text: rule.text, testId: `quote-rule-${rule.key}` })),
    ...quote.counters.map((counter) => ({ text: counter.text, testId: `quote-counter-${counter.key}` })),
  ];
  if (lines.length === 0) return { lines, linesNote: null };
  const counted = quote.rules.filter((rule) => rule.inEstimate).map((rule) => rule.name);
  const onTop = lines.length > counted.length ? 'the rest is billed on top, as it is used or falls due' : '';
  const linesNote = counted.length
    ? `The figures above include ${counted.join(', ')}${onTop ? `; ${onTop}` : ''}.`
    : 'These are billed on top of the figures above, as they are used or fall due.';
  return { lines, linesNote };
}

function announcement(preview: QuotePreview | null): string {
  if (!preview) return '';
  if (!preview.canCreate) return `Cannot create this instance: ${preview.reason ?? 'refused'}`;
  return `Cost preview: ${preview.rows.map((row) => `${row.label} ${row.value}`).join(', ')}.`;
}

/** The body the plugin's POST /me/instances takes, from the wizard's form. */
export function creationRequest(choice: WizardChoice): { planId: number; locationId: number; name: string } | null {
  const planId = idOf(choice.planId);
  const locationId = idOf(choice.locationId);
  if (planId === null || locationId === null) return null;
  return { planId, locationId, name: typeof choice.name === 'string' ? choice.name : '' };
}
