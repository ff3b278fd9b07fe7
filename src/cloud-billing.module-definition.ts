import { ConfigurableModuleBuilder, DynamicModule } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { CloudBillingCoreModule } from './cloud-billing-core.module';
import { DEFAULT_ROUTE_PREFIX } from './cloud-billing.constants';
import { FEATURE_MODULES, PUBLIC_FEATURE_MODULES } from './cloud-billing.features';
import type { CloudBillingExtras, CloudBillingOptions } from './cloud-billing.options';

export const {
  ConfigurableModuleClass: CloudBillingConfigurableModule,
  MODULE_OPTIONS_TOKEN: CLOUD_BILLING_OPTIONS,
  OPTIONS_TYPE: CLOUD_BILLING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CLOUD_BILLING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CloudBillingOptions>()
  .setClassMethodName('forRoot')
  .setExtras<CloudBillingExtras>({ routePrefix: DEFAULT_ROUTE_PREFIX }, (definition, extras): DynamicModule => ({
    module: definition.module,
    // The options (and, for forRootAsync, what their factory needs) move into the global core module, from
    // which every feature module injects the ports.
    imports: [
      CloudBillingCoreModule.fromOptions(definition, CLOUD_BILLING_OPTIONS),
      ...FEATURE_MODULES,
      // The prefix is an extra, not an async option: routes are mapped before any factory runs.
      RouterModule.register([
        { path: extras.routePrefix ?? DEFAULT_ROUTE_PREFIX, module: definition.module, children: FEATURE_MODULES },
      ]),
    ],
    exports: PUBLIC_FEATURE_MODULES,
  }))
  .build();
