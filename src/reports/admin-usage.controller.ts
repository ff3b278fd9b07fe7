import { Controller, Get, Inject, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TUNING } from '../cloud-billing.constants';
import { type CloudBillingTuning, tuningValue } from '../cloud-billing.options';
import { AdminGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { csvHeaders, sendCsv } from './csv-response';
import { allUsersUsageCsv } from './usage-csv-stream';
import { AdminUsageQueryDto, mapUsageReport, UsageReportResponseDto } from './usage-report.dto';
import { UsageReportService } from './usage-report.service';

/** Users per page of the all-users download unless the host tunes it (reports.exportPageSize). */
const EXPORT_PAGE_SIZE = 500;

/** Any user's usage, or everyone's, in the admin's own currency. */
@ApiTags('admin: usage')
@Controller('admin')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class AdminUsageController {
  private readonly exportPageSize: number;

  constructor(
    private readonly reports: UsageReportService,
    @Inject(TUNING) options: CloudBillingTuning,
  ) {
    this.exportPageSize = tuningValue('reports.exportPageSize', options.reports?.exportPageSize, EXPORT_PAGE_SIZE);
  }

  @Get('usage')
  async usage(@Viewer() admin: AuthenticatedUser, @Query() query: AdminUsageQueryDto): Promise<UsageReportResponseDto> {
    return mapUsageReport(await this.reports.forAdmin(admin.id, query.month, query.userId), true);
  }

  /**
   * One user's month is one report, sent whole; everyone's is streamed page by page (usage-csv-stream.ts), its
   * memory bounded by the page size rather than by how many users there are.
   */
  @Get('usage.csv')
  @ApiProduces('text/csv')
  async csv(
    @Viewer() admin: AuthenticatedUser,
    @Query() query: AdminUsageQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    if (query.userId !== undefined) {
      const report = mapUsageReport(await this.reports.forAdmin(admin.id, query.month, query.userId), true);
      response.send(sendCsv(response, report));
      return;
    }
    // Checked before the first byte: a bad month is still a JSON 400, not a broken download.
    const month = await this.reports.allUsersExport(admin.id, query.month);
    csvHeaders(response, `usage-${month.month}-all-users.csv`);
    // Backpressure: the next page is read only once the client has taken the last one. Readable.from would
    // otherwise read 16 pages ahead of a slow client (its default for objects), 16 pages held instead of one.
    const pages = Readable.from(allUsersUsageCsv(this.reports, month, this.exportPageSize), { highWaterMark: 1 });
    await pipeline(pages, response);
  }
}
