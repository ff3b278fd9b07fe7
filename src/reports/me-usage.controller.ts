import { Controller, Get, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { sendCsv } from './csv-response';
import { mapUsageReport, UsageQueryDto, UsageReportResponseDto } from './usage-report.dto';
import { UsageReportService } from './usage-report.service';

/** The signed-in user's own usage; there is no way to name another user here. */
@ApiTags('me')
@Controller('me')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class MeUsageController {
  constructor(private readonly reports: UsageReportService) {}

  @Get('usage')
  async usage(@Viewer() viewer: AuthenticatedUser, @Query() query: UsageQueryDto): Promise<UsageReportResponseDto> {
    return mapUsageReport(await this.reports.forUser(viewer.id, query.month));
  }

  @Get('usage.csv')
  @ApiProduces('text/csv')
  async csv(
    @Viewer() viewer: AuthenticatedUser,
    @Query() query: UsageQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return sendCsv(response, mapUsageReport(await this.reports.forUser(viewer.id, query.month)));
  }
}
