import type { Money } from '../common/money';
import type {
  UsageAdjustmentResponseDto,
  UsageMeteredRowResponseDto,
  UsageReportResponseDto,
  UsageRowResponseDto,
} from './usage-report.dto';

const CRLF = '\r\n';

/** A field with a quote, comma or line break is quoted, its quotes doubled (RFC 4180 §2.5–2.7). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Names are the users' own text; a spreadsheet would run one starting with = + - @ (or a tab / CR) as a
 * formula, so such text gets a leading apostrophe (OWASP's advice for CSV injection). Amounts never do:
 * a negative amount must stay a number.
 */
export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const line = (fields: string[]) => fields.map(csvField).join(',') + CRLF;

/**
 * The report as RFC 4180 CSV: a header row, one line per row (an instance's plan rows, then its resource rules and
 * counters, each with its kind), then the month's total line; CRLF line ends. A plan row fills the plan's columns,
 * a rule or counter row the item's (key, name, quantity, unit, rate). Every amount twice, in the report's currency (plain decimals, no symbol, so a spreadsheet reads numbers) and in
 * credits. A month with re-ratings then lists them under a header of their own: they explain the rows' costs
 * (already corrected), so they come after the total rather than before it. Every record is as wide as the first,
 * the amounts in the same two columns throughout.
 * Built by usageCsvLines, which the all-users download also writes page by page (usage-csv-stream.ts).
 */
export function usageCsv(report: UsageReportResponseDto): string {
  const lines = usageCsvLines(report.currency, report.userId === null);
  const adjustments = report.adjustments.length
    ? [lines.adjustmentHeader, ...report.adjustments.map(lines.adjustment)]
    : [];
  return [lines.header, ...report.rows.map(lines.row), lines.total(report.total), ...adjustments].join('');
}

/** The CSV's lines (each ended by CRLF), for a report in `currency`, of every user (`everyone`) or one. */
export interface UsageCsvLines {
  header: string;
  row: (row: UsageRowResponseDto | UsageMeteredRowResponseDto) => string;
  total: (total: Money) => string;
  adjustmentHeader: string;
  adjustment: (adjustment: UsageAdjustmentResponseDto) => string;
}

export function usageCsvLines(currency: string, everyone: boolean): UsageCsvLines {
  const user = (userId?: string) => (everyone ? [csvText(userId ?? '')] : []);
  const header = [
    ...(everyone ? ['User ID'] : []),
    'Instance ID',
    'Instance',
    'Kind',
    'Plan',
    'Location',
    `Hourly rate (${currency})`,
    'Hourly rate (credits)',
    'Hours',
    'Key',
    'Item',
    'Quantity',
    'Unit',
    'Rate',
    `Cost (${currency})`,
    'Cost (credits)',
    'Adjusted',
  ];
  const amountColumn = header.length - 3;
  /** Fields placed so the two amounts land in the cost columns, padded to the header's width. */
  const record = (leading: string[], amounts: [string, string]) => [
    ...leading,
    ...Array<string>(amountColumn - leading.length).fill(''),
    ...amounts,
    '',
  ];
  const planRow = (r: UsageRowResponseDto) => [
    ...user(r.userId),
    csvText(r.instanceId),
    csvText(r.name),
    r.kind,
    csvText(r.plan),
    csvText(r.location ?? ''),
    r.hourlyRate?.amount ?? '',
    r.hourlyRate?.credits ?? '',
    String(r.hours),
    ...Array<string>(5).fill(''),
    r.cost.amount,
    r.cost.credits,
    r.adjusted ? 'yes' : 'no',
  ];
  const meteredRow = (r: UsageMeteredRowResponseDto) => [
    ...user(r.userId),
    csvText(r.instanceId),
    csvText(r.name),
    r.kind,
    ...Array<string>(5).fill(''),
    csvText(r.key),
    csvText(r.item),
    r.quantity,
    csvText(r.unit),
    csvText(r.rate),
    r.cost.amount,
    r.cost.credits,
    '',
  ];
  return {
    header: line(header),
    row: (r) => line(r.kind === 'instance' ? planRow(r) : meteredRow(r)),
    total: (total) => line(record(['Total'], [total.amount, total.credits])),
    adjustmentHeader: line(
      record(
        ['Adjustment hour (UTC)', ...(everyone ? ['User ID'] : []), 'Instance ID', 'Instance', 'Reason'],
        [`Amount (${currency})`, 'Amount (credits)'],
      ),
    ),
    adjustment: (a) =>
      line(
        record(
          [a.hour, ...user(a.userId), csvText(a.instanceId), csvText(a.name), csvText(a.reason)],
          [a.amount.amount, a.amount.credits],
        ),
      ),
  };
}

/** The download's file name: the month, and for an admin whose report it is. */
export function usageCsvFileName(report: UsageReportResponseDto): string {
  if (report.userId === undefined) return `usage-${report.month}.csv`;
  return `usage-${report.month}-${report.userId ?? 'all-users'}.csv`;
}
