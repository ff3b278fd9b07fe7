import PDFDocument from 'pdfkit';
import { monthLabel } from '../reports/report-calendar';
import type { StatementLineResponseDto, StatementResponseDto } from './statement.dto';
import { STATEMENT_SECTIONS, type StatementSection } from './statement-lines';

export const SECTION_TITLES: Record<StatementSection, string> = {
  topups: 'Top-ups',
  grants: 'Promotional credit',
  charges: 'Charges',
  adjustments: 'Adjustments and credits',
  'topup-refunds': 'Top-up refunds',
  chargebacks: 'Chargebacks',
  expiries: 'Expired credit',
};

const MARGIN = 50;
const PAGE_WIDTH = 595.28; // A4
const COLUMNS = {
  date: MARGIN,
  text: MARGIN + 70,
  amount: PAGE_WIDTH - MARGIN - 150,
  credits: PAGE_WIDTH - MARGIN - 70,
};
const TEXT_WIDTH = COLUMNS.amount - COLUMNS.text - 10;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');

/**
 * The statement as an A4 PDF, with PDFKit's built-in Helvetica (no font files to ship). `compress: false` leaves
 * the page's text operators readable, which is how the tests read the text back.
 */
export function renderStatementPdf(
  statement: StatementResponseDto,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    info: {
      Title: `Statement ${statement.number}, ${monthLabel(statement.month)}`,
      // The statement's own time, so the same statement renders the same file.
      CreationDate: new Date(statement.closedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(`Statement ${statement.number}: ${monthLabel(statement.month)}`);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Account: ${statement.userId}`);
  doc.text(`Period: ${day(statement.periodStart)} to ${day(statement.periodEnd)} (excluded), ${statement.timeZone}`);
  doc.text(`Currency: ${statement.currency}, 1 credit = ${statement.valuePerCredit} ${statement.currency}`);
  doc.text(`Closed: ${statement.closedAt}`);
  doc.moveDown();

  row(
    doc,
    {
      date: '',
      text: 'Opening balance',
      amount: statement.openingBalance.formatted,
      credits: statement.openingBalance.credits,
    },
    true,
  );
  for (const section of STATEMENT_SECTIONS) {
    const lines = statement.lines.filter((line) => line.section === section);
    if (lines.length === 0) continue;
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').text(SECTION_TITLES[section], MARGIN);
    doc.font('Helvetica');
    for (const line of lines) row(doc, lineCells(line));
    const total = statement.totals[section];
    row(
      doc,
      {
        date: '',
        text: `Total ${SECTION_TITLES[section].toLowerCase()}`,
        amount: total.formatted,
        credits: total.credits,
      },
      true,
    );
  }
  doc.moveDown(0.5);
  row(
    doc,
    {
      date: '',
      text: 'Closing balance',
      amount: statement.closingBalance.formatted,
      credits: statement.closingBalance.credits,
    },
    true,
  );
  doc.moveDown();
  doc
    .fontSize(8)
    .text('Amounts in credits are exact; the currency column is rounded to the currency at the rate above.', MARGIN);
  doc.end();
  return done;
}

interface Cells {
  date: string;
  text: string;
  amount: string;
  credits: string;
}

const lineCells = (line: StatementLineResponseDto): Cells => ({
  date: day(line.date),
  text: line.detail ? `${line.description} (${line.detail})` : line.description,
  amount: line.amount.formatted,
  credits: line.amount.credits,
});

function row(doc: PDFKit.PDFDocument, cells: Cells, bold = false): void {
  if (doc.y > doc.page.height - MARGIN - 40) doc.addPage();
  const y = doc.y;
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
  doc.text(cells.date, COLUMNS.date, y, { width: 65, lineBreak: false });
  doc.text(cells.text, COLUMNS.text, y, { width: TEXT_WIDTH });
  const after = doc.y;
  doc.text(cells.amount, COLUMNS.amount, y, { width: 75, align: 'right', lineBreak: false });
  doc.text(cells.credits, COLUMNS.credits, y, { width: 70, align: 'right', lineBreak: false });
  doc.x = MARGIN;
  doc.y = Math.max(after, y + 14);
}
