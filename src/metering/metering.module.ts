import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { InstancesModule } from '../instances/instances.module';
import { SettingsModule } from '../settings/settings.module';
import { MeteredCounterController } from './metered-counter.controller';
import { MeteredCounterRepository } from './metered-counter.repository';
import { MeteredCounterService } from './metered-counter.service';
import { MeteredUsageController } from './metered-usage.controller';
import { MeteredUsageBillingService } from './metered-usage-billing.service';
import { MeteredUsageRepository } from './metered-usage.repository';
import { MeteredUsageService } from './metered-usage.service';
import { METERING_ENTITIES } from './metering.entities';
import { MeteringLookupService } from './metering-lookup.service';
import { ResourceRuleController } from './resource-rule.controller';
import { ResourceRuleRepository } from './resource-rule.repository';
import { ResourceRuleService } from './resource-rule.service';

/**
 * Resource rules per plan (NoCloud) and metered counters with price ranges (Atomia): their admin API, the host's
 * usage reports of counters (MeteredUsageService, also what AMQP calls), and MeteringLookupService, through which
 * the features above read them priced.
 */
@Module({
  imports: [TypeOrmModule.forFeature(METERING_ENTITIES), CatalogModule, InstancesModule, SettingsModule],
  controllers: [ResourceRuleController, MeteredCounterController, MeteredUsageController],
  providers: [
    ResourceRuleRepository,
    MeteredCounterRepository,
    ResourceRuleService,
    MeteredCounterService,
    MeteringLookupService,
    MeteredUsageRepository,
    MeteredUsageService,
    MeteredUsageBillingService,
  ],
  exports: [MeteringLookupService, MeteredUsageService, MeteredUsageBillingService],
})
export class MeteringModule {}
