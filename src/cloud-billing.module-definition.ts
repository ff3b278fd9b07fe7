import { ConfigurableModuleBuilder } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { DEFAULT_ROUTE_PREFIX } from './cloud-billing.constants';
import type { CloudBillingExtras, CloudBillingOptions } from './cloud-billing.options';

export const {
  ConfigurableModuleClass: CloudBillingConfigurableModule,
  MODULE_OPTIONS_TOKEN: CLOUD_BILLING_OPTIONS,
  OPTIONS_TYPE: CLOUD_BILLING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CLOUD_BILLING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CloudBillingOptions>()
  .setClassMethodName('forRoot')
  .setExtras<CloudBillingExtras>({ routePrefix: DEFAULT_ROUTE_PREFIX }, (definition, extras) => ({
    ...definition,
    // The prefix is an extra, not an async option: routes are mapped before any factory runs.
    imports: [
      ...(definition.imports ?? []),
      RouterModule.register([{ path: extras.routePrefix ?? DEFAULT_ROUTE_PREFIX, module: definition.module }]),
    ],
  }))
  .build();
