import { Controller, Get, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { sendCsv } from './csv-response';
import { AdminUsageQueryDto, mapUsageReport, UsageReportResponseDto } from './usage-report.dto';
import { UsageReportService } from './usage-report.service';

/** Any user's usage, or everyone's, in the admin's own currency. */
@ApiTags('admin: usage')
@Controller('admin')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class AdminUsageController {
  constructor(private readonly reports: UsageReportService) {}

  @Get('usage')
  async usage(@Viewer() admin: AuthenticatedUser, @Query() query: AdminUsageQueryDto): Promise<UsageReportResponseDto> {
    return mapUsageReport(await this.reports.forAdmin(admin.id, query.month, query.userId), true);
  }

  @Get('usage.csv')
  @ApiProduces('text/csv')
  async csv(
    @Viewer() admin: AuthenticatedUser,
    @Query() query: AdminUsageQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendCsv(response, mapUsageReport(await this.reports.forAdmin(admin.id, query.month, query.userId), true));
  }
}
