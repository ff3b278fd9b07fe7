import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { BillingModule } from '../billing/billing.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { InstancesModule } from '../instances/instances.module';
import { SettingsModule } from '../settings/settings.module';
import { BudgetController } from './budget.controller';
import { BUDGET_ENTITIES } from './budget.entity';
import { BudgetEvaluationService } from './budget-evaluation.service';
import { BudgetRepository } from './budget.repository';
import { BudgetService } from './budget.service';
import { BudgetStatusService } from './budget-status.service';

/**
 * Users' monthly budgets: alerts per level, a forecast, and the action at 100 % (alert, block new instances, stop
 * the running ones). Evaluated after each billing run (BillingSettledEvent) and when a budget is saved. Exports
 * BudgetService, which the widget and the wizard ask.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(BUDGET_ENTITIES),
    SettingsModule,
    CurrenciesModule,
    InstancesModule,
    AccountsModule,
    BillingModule,
  ],
  controllers: [BudgetController],
  providers: [BudgetRepository, BudgetStatusService, BudgetEvaluationService, BudgetService],
  exports: [BudgetService],
})
export class BudgetsModule {}
