import type { Type } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { AmqpModule } from './amqp/amqp.module';
import { BillingModule } from './billing/billing.module';
import { BudgetsModule } from './budgets/budgets.module';
import { CatalogModule } from './catalog/catalog.module';
import { CurrenciesModule } from './currencies/currencies.module';
import { InstancesModule } from './instances/instances.module';
import { MeteringModule } from './metering/metering.module';
import { PaymentsModule } from './payments/payments.module';
import { PlacementModule } from './placement/placement.module';
import { PromotionsModule } from './promotions/promotions.module';
import { ReportsModule } from './reports/reports.module';
import { SettingsModule } from './settings/settings.module';
import { StatementsModule } from './statements/statements.module';
import { WidgetModule } from './widget/widget.module';
import { WizardModule } from './wizard/wizard.module';

/** Every feature, lowest first (README, "How the code is laid out"); each imports only features before it. */
export const FEATURE_MODULES: Type[] = [
  SettingsModule,
  CurrenciesModule,
  CatalogModule,
  InstancesModule,
  MeteringModule,
  AccountsModule,
  BillingModule,
  PromotionsModule,
  BudgetsModule,
  PaymentsModule,
  AmqpModule,
  PlacementModule,
  ReportsModule,
  StatementsModule,
  WidgetModule,
  WizardModule,
];

/** The features whose exported services a host may inject (src/index.ts names them); not amqp, placement and wizard. */
export const PUBLIC_FEATURE_MODULES: Type[] = FEATURE_MODULES.filter(
  (feature) => feature !== AmqpModule && feature !== PlacementModule && feature !== WizardModule,
);
