import { Module, Provider, UseGuards } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  BILLING_NOTIFIER,
  CLOCK,
  CURRENT_USER,
  HYPERVISOR_INVENTORY,
  INSTANCE_PROVISIONER,
  USER_DIRECTORY,
} from './cloud-billing.constants';
import { CLOUD_BILLING_ENTITIES } from './cloud-billing.entities';
import { CLOUD_BILLING_OPTIONS, CloudBillingConfigurableModule } from './cloud-billing.module-definition';
import type { CloudBillingOptions } from './cloud-billing.options';
import { ACCOUNT_CONTROLLERS, ACCOUNT_PROVIDERS } from './accounts/account.providers';
import { BILLING_CONTROLLERS, BILLING_EXPORTS, BILLING_PROVIDERS } from './billing/billing.providers';
import { CATALOG_CONTROLLERS, CATALOG_PROVIDERS } from './catalog/catalog.providers';
import { AdminGuard, UserGuard } from './common/auth';
import { SystemClock } from './common/clock';
import { DomainEvents } from './common/domain-events';
import { RequestShapeGuard } from './common/request-shape.guard';
import { CURRENCY_CONTROLLERS, CURRENCY_PROVIDERS } from './currencies/currency.providers';
import { INSTANCE_CONTROLLERS, INSTANCE_PROVIDERS } from './instances/instance.providers';
import { PLACEMENT_PROVIDERS } from './placement/placement.providers';
import { REPORT_CONTROLLERS, REPORT_PROVIDERS } from './reports/reports.providers';
import { SETTINGS_CONTROLLERS, SETTINGS_PROVIDERS } from './settings/settings.providers';
import { WIDGET_CONTROLLERS, WIDGET_PROVIDERS } from './widget/widget.providers';
import { WIZARD_CONTROLLERS, WIZARD_PROVIDERS } from './wizard/wizard.providers';

function fromOptions(token: symbol, pick: (options: CloudBillingOptions) => unknown): Provider {
  return { provide: token, useFactory: pick, inject: [CLOUD_BILLING_OPTIONS] };
}

/** The ports the host passed in, each under its own token so services inject only what they use. */
const PORT_PROVIDERS: Provider[] = [
  fromOptions(HYPERVISOR_INVENTORY, (o) => o.hypervisorInventory),
  fromOptions(INSTANCE_PROVISIONER, (o) => o.instanceProvisioner),
  fromOptions(BILLING_NOTIFIER, (o) => o.billingNotifier),
  fromOptions(USER_DIRECTORY, (o) => o.userDirectory),
  fromOptions(CURRENT_USER, (o) => o.currentUser),
  fromOptions(CLOCK, (o) => o.clock ?? new SystemClock()),
];

const PLUGIN_CONTROLLERS = [
  ...SETTINGS_CONTROLLERS,
  ...CURRENCY_CONTROLLERS,
  ...CATALOG_CONTROLLERS,
  ...ACCOUNT_CONTROLLERS,
  ...INSTANCE_CONTROLLERS,
  ...BILLING_CONTROLLERS,
  ...WIZARD_CONTROLLERS,
  ...REPORT_CONTROLLERS,
  ...WIDGET_CONTROLLERS,
];

// Bound here, after each controller's own auth guard, so no route of the plugin can be added without it and the
// host's routes are left alone (an APP_GUARD would reach them too).
for (const controller of PLUGIN_CONTROLLERS) UseGuards(RequestShapeGuard)(controller);

@Module({
  imports: [TypeOrmModule.forFeature(CLOUD_BILLING_ENTITIES)],
  controllers: PLUGIN_CONTROLLERS,
  providers: [
    ...PORT_PROVIDERS,
    UserGuard,
    AdminGuard,
    DomainEvents,
    ...SETTINGS_PROVIDERS,
    ...CURRENCY_PROVIDERS,
    ...CATALOG_PROVIDERS,
    ...ACCOUNT_PROVIDERS,
    ...INSTANCE_PROVIDERS,
    ...BILLING_PROVIDERS,
    ...PLACEMENT_PROVIDERS,
    ...WIZARD_PROVIDERS,
    ...REPORT_PROVIDERS,
    ...WIDGET_PROVIDERS,
  ],
  exports: [
    ...SETTINGS_PROVIDERS,
    ...CURRENCY_PROVIDERS,
    ...CATALOG_PROVIDERS,
    ...ACCOUNT_PROVIDERS,
    ...INSTANCE_PROVIDERS,
    ...BILLING_EXPORTS,
    ...REPORT_PROVIDERS,
    ...WIDGET_PROVIDERS,
  ],
})
export class CloudBillingModule extends CloudBillingConfigurableModule {}
