import { AdminUsageController } from './admin-usage.controller';
import { MeUsageController } from './me-usage.controller';
import { ReportsRepository } from './reports.repository';
import { UsageReportService } from './usage-report.service';

export const REPORT_CONTROLLERS = [MeUsageController, AdminUsageController];
/** UsageReportService is public: a host's own pages (the demo's report page) read the report through it. */
export const REPORT_PROVIDERS = [ReportsRepository, UsageReportService];
