import type { LedgerKind } from '../accounts/account.entity';

/*
 * What a statement says, as pure functions: which section a ledger entry belongs to, how the month's charges are
 * itemised from what its hours charged, and how the balances add up. No database, no clock: the closing service feeds
 * them the entries and report lines it read.
 */

/** The sections of a statement, in reading order. */
export const STATEMENT_SECTIONS = [
  'topups',
  'grants',
  'charges',
  'adjustments',
  'topup-refunds',
  'chargebacks',
  'expiries',
] as const;
export type StatementSection = (typeof STATEMENT_SECTIONS)[number];

/** A ledger entry as a statement reads it. */
export interface StatementLedgerEntry {
  id: number;
  kind: LedgerKind;
  /** Signed micro-credits. */
  amount: number;
  idempotencyKey: string;
  note: string | null;
  hourStartMs: number | null;
  createdAtMs: number;
  currencyCode: string | null;
  currencyAmount: string | null;
}

/** One line of what the month's hours charged, already worded: what it charged, in micro-credits (positive). */
export interface UsageChargeLine {
  kind: 'instance' | 'rule' | 'counter';
  instanceId: string;
  description: string;
  detail: string | null;
  charge: number;
}

export interface StatementLine {
  section: StatementSection;
  /** The ledger kind, or for charges what was charged: instance, rule, counter, or a correction of earlier months. */
  kind: string;
  description: string;
  detail: string | null;
  instanceId: string | null;
  occurredAtMs: number | null;
  /** Signed micro-credits, as the ledger signs them. */
  amount: number;
}

/** When an entry counts as having happened: the hour it bills, else when it was posted. */
export const effectiveAtMs = (entry: Pick<StatementLedgerEntry, 'hourStartMs' | 'createdAtMs'>): number =>
  entry.hourStartMs ?? entry.createdAtMs;

/** The engine's own adjustments (re-ratings and late usage reports) are charges, itemised with their hours. */
const ENGINE_ADJUSTMENT = /^(rerate|rerate-rules|late-usage):/;

export function sectionOf(entry: Pick<StatementLedgerEntry, 'kind' | 'idempotencyKey'>): StatementSection {
  switch (entry.kind) {
    case 'topup':
      return 'topups';
    case 'grant':
      return 'grants';
    case 'charge':
      return 'charges';
    case 'adjustment':
      return ENGINE_ADJUSTMENT.test(entry.idempotencyKey) ? 'charges' : 'adjustments';
    // The old credit kind: an admin giving credit back (an outage), not a payment refund.
    case 'refund':
      return 'adjustments';
    case 'topup-refund':
      return 'topup-refunds';
    case 'chargeback':
      return 'chargebacks';
    case 'expiry':
      return 'expiries';
  }
}

/** The reference an admin or payment gave, without the ledger's "<kind>:" prefix. */
const referenceOf = (key: string) => key.slice(key.indexOf(':') + 1);

const TITLES: Record<Exclude<LedgerKind, 'charge'>, string> = {
  topup: 'Top-up',
  grant: 'Promotional credit',
  adjustment: 'Adjustment',
  refund: 'Credit',
  'topup-refund': 'Top-up refund',
  chargeback: 'Chargeback',
  expiry: 'Expired promotional credit',
};

function entryLine(entry: StatementLedgerEntry, section: StatementSection): StatementLine {
  const title = entry.kind === 'charge' ? 'Charge' : TITLES[entry.kind];
  const paid = entry.currencyCode && entry.currencyAmount ? `${entry.currencyAmount} ${entry.currencyCode}` : null;
  const detail = [`ref. ${referenceOf(entry.idempotencyKey)}`, paid].filter(Boolean).join(', ');
  return {
    section,
    kind: entry.kind,
    description: entry.note ? `${title}: ${entry.note}` : title,
    detail: detail.slice(0, 255),
    instanceId: null,
    occurredAtMs: effectiveAtMs(entry),
    amount: entry.amount,
  };
}

/**
 * The statement's lines: every entry of every section but charges on a line of its own (by date); charges itemised
 * per instance, plan, resource rule and counter from what the month's hours charged (the hours starting in it, as
 * the ledger dates their charges). The entries are what this statement takes: those hours' charges and adjustments,
 * and re-ratings or late usage of closed months posted since (which land here, the hours being an earlier
 * statement's); that difference is a line of its own, "Usage corrections to earlier months", so the lines always add
 * up to the entries.
 */
export function buildStatementLines(entries: StatementLedgerEntry[], usage: UsageChargeLine[]): StatementLine[] {
  const bySection = new Map<StatementSection, StatementLedgerEntry[]>();
  for (const entry of [...entries].sort((a, b) => effectiveAtMs(a) - effectiveAtMs(b) || a.id - b.id)) {
    const section = sectionOf(entry);
    bySection.set(section, [...(bySection.get(section) ?? []), entry]);
  }
  const lines: StatementLine[] = [];
  for (const section of STATEMENT_SECTIONS) {
    const inSection = bySection.get(section) ?? [];
    if (section !== 'charges') {
      lines.push(...inSection.map((entry) => entryLine(entry, section)));
      continue;
    }
    const charged = inSection.reduce((sum, entry) => sum + entry.amount, 0);
    const itemised = usage.filter((line) => line.charge !== 0);
    lines.push(
      ...itemised.map((line) => ({
        section,
        kind: line.kind,
        description: line.description.slice(0, 255),
        detail: line.detail?.slice(0, 255) ?? null,
        instanceId: line.instanceId,
        occurredAtMs: null,
        amount: -line.charge,
      })),
    );
    const correction = charged + itemised.reduce((sum, line) => sum + line.charge, 0);
    if (correction !== 0) {
      lines.push({
        section,
        kind: 'correction',
        description: 'Usage corrections to earlier months',
        detail: null,
        instanceId: null,
        occurredAtMs: null,
        amount: correction,
      });
    }
  }
  return lines;
}

export interface StatementTotals {
  opening: number;
  closing: number;
  /** Per section, signed micro-credits; every section present. */
  sections: Record<StatementSection, number>;
}

/** Closing = opening + every line. */
export function statementTotals(opening: number, lines: Pick<StatementLine, 'section' | 'amount'>[]): StatementTotals {
  const sections = Object.fromEntries(STATEMENT_SECTIONS.map((section) => [section, 0])) as Record<
    StatementSection,
    number
  >;
  let closing = opening;
  for (const line of lines) {
    sections[line.section] += line.amount;
    closing += line.amount;
  }
  if (!Number.isSafeInteger(closing)) throw new RangeError('a statement balance left the exact integer range');
  return { opening, closing, sections };
}
