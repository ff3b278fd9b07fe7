import { Module } from '@nestjs/common';
import { CurrenciesModule } from '../currencies/currencies.module';
import { MeteringModule } from '../metering/metering.module';
import { SettingsModule } from '../settings/settings.module';
import { AdminUsageController } from './admin-usage.controller';
import { MeUsageController } from './me-usage.controller';
import { ReportsRepository } from './reports.repository';
import { UsageReportService } from './usage-report.service';

/** Monthly usage reports. UsageReportService is public: a host's own pages read the report through it. */
@Module({
  imports: [SettingsModule, CurrenciesModule, MeteringModule],
  controllers: [MeUsageController, AdminUsageController],
  providers: [ReportsRepository, UsageReportService],
  exports: [UsageReportService],
})
export class ReportsModule {}
