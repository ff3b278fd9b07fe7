import type { Response } from 'express';
import { usageCsv, usageCsvFileName } from './usage-csv';
import type { UsageReportResponseDto } from './usage-report.dto';

/**
 * Headers for a CSV download, set only once the report exists: a @Header() decorator applies before the pipes
 * run, so a 400 for a bad month would start out as a "text/csv" attachment instead of the usual JSON error.
 */
export function sendCsv(response: Response, report: UsageReportResponseDto): string {
  csvHeaders(response, usageCsvFileName(report));
  return usageCsv(report);
}

export function csvHeaders(response: Response, fileName: string): void {
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  response.setHeader('Cache-Control', 'no-store');
}
