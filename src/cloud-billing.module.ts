import { Module, UseGuards, UseInterceptors } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { FEATURE_MODULES } from './cloud-billing.features';
import { CloudBillingConfigurableModule } from './cloud-billing.module-definition';
import { DatabaseUnavailableInterceptor } from './common/database-unavailable.interceptor';
import { RequestShapeGuard } from './common/request-shape.guard';

// Bound here, after each controller's own auth guard, so no route of the plugin can be added without them and the
// host's routes are left alone (an APP_GUARD or APP_INTERCEPTOR would reach them too).
for (const feature of FEATURE_MODULES) {
  for (const controller of Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, feature) ?? []) {
    UseGuards(RequestShapeGuard)(controller);
    UseInterceptors(DatabaseUnavailableInterceptor)(controller);
  }
}

/**
 * What a host imports, once, with forRoot or forRootAsync: the feature modules (src/cloud-billing.features.ts)
 * under the route prefix, and the core module that hands them the host's ports. Registers no provider itself.
 */
@Module({})
export class CloudBillingModule extends CloudBillingConfigurableModule {}
