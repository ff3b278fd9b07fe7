import { csvField, csvText } from '../reports/usage-csv';
import type { StatementResponseDto } from './statement.dto';

const CRLF = '\r\n';
const record = (fields: string[]) => fields.map(csvField).join(',') + CRLF;

/** The header of a statement CSV; the admin's month download adds whose statement each record is. */
export function statementCsvHeader(currency: string | null, withUser = false): string {
  return record([
    ...(withUser ? ['User ID', 'Currency'] : []),
    'Statement',
    'Month',
    'Section',
    'Kind',
    'Date',
    'Description',
    'Detail',
    'Instance ID',
    currency ? `Amount (${currency})` : 'Amount',
    'Amount (credits)',
  ]);
}

/**
 * A statement's records (RFC 4180, CRLF): its opening balance, one record per line, its closing balance. Amounts in
 * the statement's currency as plain decimals (a spreadsheet reads numbers) and in credits. Text the user or an admin
 * wrote (names, notes) is defused against spreadsheet formulas; amounts never are.
 */
export function statementCsvRecords(statement: StatementResponseDto, withUser = false): string {
  const lead = (section: string) => [
    ...(withUser ? [csvText(statement.userId), statement.currency] : []),
    String(statement.number),
    statement.month,
    section,
  ];
  return [
    record([
      ...lead('opening'),
      '',
      statement.periodStart,
      'Opening balance',
      '',
      '',
      ...money(statement.openingBalance),
    ]),
    ...statement.lines.map((line) =>
      record([
        ...lead(line.section),
        line.kind,
        line.date ?? '',
        csvText(line.description),
        csvText(line.detail ?? ''),
        line.instanceId ?? '',
        ...money(line.amount),
      ]),
    ),
    record([
      ...lead('closing'),
      '',
      statement.periodEnd,
      'Closing balance',
      '',
      '',
      ...money(statement.closingBalance),
    ]),
  ].join('');
}

const money = (amount: { amount: string; credits: string }) => [amount.amount, amount.credits];

/** One statement as a download. */
export function statementCsv(statement: StatementResponseDto): string {
  return statementCsvHeader(statement.currency) + statementCsvRecords(statement);
}

export const statementFileName = (statement: { number: number; month: string }, extension: string) =>
  `statement-${statement.month}-${statement.number}.${extension}`;
