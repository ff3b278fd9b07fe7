import type { UsageAdjustmentResponseDto, UsageReportResponseDto, UsageRowResponseDto } from './usage-report.dto';

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
 * The report as RFC 4180 CSV: a header row, one line per row, then the month's total line; CRLF line ends. Every
 * amount twice, in the report's currency (plain decimals, no symbol, so a spreadsheet reads numbers) and in
 * credits. A month with re-ratings then lists them under a header of their own: they explain the rows' costs
 * (already corrected), so they come after the total rather than before it. Every record is as wide as the first,
 * the amounts in the same two columns throughout.
 */
export function usageCsv(report: UsageReportResponseDto): string {
  const everyone = report.userId === null;
  const currency = report.currency;
  const user = (userId?: string) => (everyone ? [csvText(userId ?? '')] : []);
  const header = [
    ...(everyone ? ['User ID'] : []),
    'Instance ID',
    'Instance',
    'Plan',
    'Location',
    `Hourly rate (${currency})`,
    'Hourly rate (credits)',
    'Hours',
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
  const row = (r: UsageRowResponseDto) => [
    ...user(r.userId),
    csvText(r.instanceId),
    csvText(r.name),
    csvText(r.plan),
    csvText(r.location ?? ''),
    r.hourlyRate?.amount ?? '',
    r.hourlyRate?.credits ?? '',
    String(r.hours),
    r.cost.amount,
    r.cost.credits,
    r.adjusted ? 'yes' : 'no',
  ];
  const total = record(['Total'], [report.total.amount, report.total.credits]);
  const adjustmentHeader = record(
    ['Adjustment hour (UTC)', ...(everyone ? ['User ID'] : []), 'Instance ID', 'Instance', 'Reason'],
    [`Amount (${currency})`, 'Amount (credits)'],
  );
  const adjustment = (a: UsageAdjustmentResponseDto) =>
    record(
      [a.hour, ...user(a.userId), csvText(a.instanceId), csvText(a.name), csvText(a.reason)],
      [a.amount.amount, a.amount.credits],
    );
  const adjustments = report.adjustments.length ? [adjustmentHeader, ...report.adjustments.map(adjustment)] : [];
  return [header, ...report.rows.map(row), total, ...adjustments].map(line).join('');
}

/** The download's file name: the month, and for an admin whose report it is. */
export function usageCsvFileName(report: UsageReportResponseDto): string {
  if (report.userId === undefined) return `usage-${report.month}.csv`;
  return `usage-${report.month}-${report.userId ?? 'all-users'}.csv`;
}
