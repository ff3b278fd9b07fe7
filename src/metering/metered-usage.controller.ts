import { Body, Controller, Get, Param, Post, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import {
  mapUsageReport,
  UsageInstanceParams,
  UsageMonthQuery,
  UsageReportDto,
  UsageReportResponseDto,
} from './metered-usage.dto';
import { MeteredUsageService } from './metered-usage.service';

/** The host's usage reports of metered counters, and the admin's view of what arrived. */
@ApiTags('host')
@Controller()
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class MeteredUsageController {
  constructor(private readonly usage: MeteredUsageService) {}

  /** 201 with the stored report; 200 with the one stored before when the same report (same id) comes again. */
  @Post('host/instances/:id/usage')
  async report(
    @Param() { id }: UsageInstanceParams,
    @Body() dto: UsageReportDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UsageReportResponseDto> {
    const { report, created } = await this.usage.report(id, dto);
    response.status(created ? 201 : 200);
    return mapUsageReport(report.row, report.counterKey);
  }

  @ApiTags('admin: metering')
  @Get('admin/instances/:id/usage')
  async list(@Param() { id }: UsageInstanceParams, @Query() query: UsageMonthQuery): Promise<UsageReportResponseDto[]> {
    const reports = await this.usage.listOfInstance(id, query.month);
    return reports.map(({ row, counterKey }) => mapUsageReport(row, counterKey));
  }
}
