import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { MeteredCounterController } from './metered-counter.controller';
import { MeteredCounterRepository } from './metered-counter.repository';
import { MeteredCounterService } from './metered-counter.service';
import { METERING_ENTITIES } from './metering.entities';
import { MeteringLookupService } from './metering-lookup.service';
import { ResourceRuleController } from './resource-rule.controller';
import { ResourceRuleRepository } from './resource-rule.repository';
import { ResourceRuleService } from './resource-rule.service';

/**
 * Resource rules per plan (NoCloud) and metered counters with price ranges (Atomia): their admin API, and
 * MeteringLookupService, through which the features above read them priced.
 */
@Module({
  imports: [TypeOrmModule.forFeature(METERING_ENTITIES), CatalogModule],
  controllers: [ResourceRuleController, MeteredCounterController],
  providers: [
    ResourceRuleRepository,
    MeteredCounterRepository,
    ResourceRuleService,
    MeteredCounterService,
    MeteringLookupService,
  ],
  exports: [MeteringLookupService],
})
export class MeteringModule {}
