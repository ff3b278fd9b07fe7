import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BillingModule } from '../billing/billing.module';
import { BudgetsModule } from '../budgets/budgets.module';
import { InstancesModule } from '../instances/instances.module';
import { ReportsModule } from '../reports/reports.module';
import { SettingsModule } from '../settings/settings.module';
import { WidgetController } from './widget.controller';
import { WidgetRenderer } from './widget-renderer';
import { WidgetService } from './widget.service';

/** WidgetService and WidgetRenderer are public: a host page (the demo's dashboard) renders the fragment in place. */
@Module({
  imports: [AccountsModule, BillingModule, BudgetsModule, InstancesModule, ReportsModule, SettingsModule],
  controllers: [WidgetController],
  providers: [WidgetService, WidgetRenderer],
  exports: [WidgetService, WidgetRenderer],
})
export class WidgetModule {}
