import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CurrenciesModule } from '../currencies/currencies.module';
import { CatalogLookupService } from './catalog-lookup.service';
import { CatalogController } from './catalog.controller';
import { CATALOG_ENTITIES } from './catalog.entities';
import { CatalogService } from './catalog.service';
import { HypervisorController } from './hypervisor.controller';
import { HypervisorRepository } from './hypervisor.repository';
import { HypervisorService } from './hypervisor.service';
import { LocationMembersService } from './location-members.service';
import { LocationController } from './location.controller';
import { LocationRepository } from './location.repository';
import { LocationService } from './location.service';
import { PlanGroupController } from './plan-group.controller';
import { PlanGroupRepository } from './plan-group.repository';
import { PlanGroupService } from './plan-group.service';
import { PlanPricingRepository } from './plan-pricing.repository';
import { PlanPricingService } from './plan-pricing.service';
import { PlanController } from './plan.controller';
import { PlanRepository } from './plan.repository';
import { PlanService } from './plan.service';

/** Every service of the catalog is exported: the features above read the catalog through them. */
const CATALOG_SERVICES = [
  HypervisorService,
  LocationService,
  PlanGroupService,
  PlanService,
  CatalogService,
  CatalogLookupService,
  LocationMembersService,
  PlanPricingService,
];

/**
 * Locations, hypervisors, plan groups and plans. What it asks of features above it (CatalogUsage,
 * HypervisorAllocations) those provide, and it finds them with providedAbove.
 */
@Module({
  imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES), CurrenciesModule],
  controllers: [LocationController, HypervisorController, PlanGroupController, PlanController, CatalogController],
  providers: [
    LocationRepository,
    HypervisorRepository,
    PlanGroupRepository,
    PlanRepository,
    PlanPricingRepository,
    ...CATALOG_SERVICES,
  ],
  exports: CATALOG_SERVICES,
})
export class CatalogModule {}
