import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../../common/auth';
import { SettlementService } from '../settlement/settlement.service';
import { BillingRunService, BillingRunSummary } from './billing-run.service';
import { mapSettlementFailure, SettlementFailureResponseDto } from './settlement-failure.dto';

@ApiTags('admin: billing')
@Controller('admin/billing')
@UseGuards(AdminGuard)
export class BillingRunController {
  constructor(
    private readonly billing: BillingRunService,
    private readonly settlement: SettlementService,
  ) {}

  /** Settles every complete hour now, instead of waiting for the hourly job. */
  @Post('run')
  @HttpCode(200)
  run(): Promise<BillingRunSummary> {
    return this.billing.run();
  }

  /** Accounts the last runs could not settle: which hour they are stuck at, why, and since when. */
  @Get('failures')
  async failures(): Promise<SettlementFailureResponseDto[]> {
    return (await this.settlement.failures()).map(mapSettlementFailure);
  }
}
