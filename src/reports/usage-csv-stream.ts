import { usageCsvLines } from './usage-csv';
import { mapUsageAdjustment, mapUsageRow } from './usage-report.dto';
import type { UsageExport, UsageReportService } from './usage-report.service';

/**
 * Every user's month as CSV, page by page: the same lines as usageCsv for the all-users report (header, rows,
 * total, adjustments), but only one page of users (then of adjustments) is ever held, so a month of 10,000 users
 * costs the memory of `pageSize` of them. Each page is read from a snapshot of its own rather than the whole
 * download from one: a snapshot held open while a slow client reads would hold a pooled connection (and on
 * SQLite every other transaction) for as long. A settlement committing mid-download therefore shows in the pages
 * read after it; the total line is always the sum of the lines above it.
 */
export async function* allUsersUsageCsv(
  reports: UsageReportService,
  month: UsageExport,
  pageSize: number,
): AsyncGenerator<string> {
  const lines = usageCsvLines(month.view.currency.code, true);
  yield lines.header;
  let total = 0;
  for (let after: string | null = null; ;) {
    const page = await reports.allUsersPage(month, after, pageSize);
    if (page === null) break;
    total += page.rows.reduce((sum, row) => sum + row.charge, 0);
    yield page.rows.map((row) => lines.row(mapUsageRow(row, month.view, true))).join('');
    after = page.upto;
  }
  // Micro-credits summed, converted once (as the report's total is), not added up after rounding.
  yield lines.total(month.view.money(total));
  for (let after: { hourStartMs: number; id: number } | null = null, first = true; ; first = false) {
    const page = await reports.allUsersAdjustmentsPage(month, after, pageSize);
    if (page.length === 0) break;
    yield (
      (first ? lines.adjustmentHeader : '') +
      page.map((line) => lines.adjustment(mapUsageAdjustment(line, month.view, true))).join('')
    );
    after = page[page.length - 1];
  }
}
