import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../../common/auth';
import { BillingRunService, BillingRunSummary } from './billing-run.service';

@ApiTags('admin: billing')
@Controller('admin/billing')
@UseGuards(AdminGuard)
export class BillingRunController {
  constructor(private readonly billing: BillingRunService) {}

  /** Settles every complete hour now, instead of waiting for the hourly job. */
  @Post('run')
  @HttpCode(200)
  run(): Promise<BillingRunSummary> {
    return this.billing.run();
  }
}
