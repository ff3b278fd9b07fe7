import { CatalogLookupService } from './catalog-lookup.service';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { HypervisorController } from './hypervisor.controller';
import { HypervisorRepository } from './hypervisor.repository';
import { HypervisorService } from './hypervisor.service';
import { LocationController } from './location.controller';
import { LocationRepository } from './location.repository';
import { LocationService } from './location.service';
import { PlanGroupController } from './plan-group.controller';
import { PlanGroupRepository } from './plan-group.repository';
import { PlanGroupService } from './plan-group.service';
import { PlanController } from './plan.controller';
import { PlanRepository } from './plan.repository';
import { PlanService } from './plan.service';

export const CATALOG_CONTROLLERS = [
  LocationController,
  HypervisorController,
  PlanGroupController,
  PlanController,
  CatalogController,
];
export const CATALOG_PROVIDERS = [
  LocationRepository,
  HypervisorRepository,
  PlanGroupRepository,
  PlanRepository,
  HypervisorService,
  LocationService,
  PlanGroupService,
  PlanService,
  CatalogService,
  CatalogLookupService,
];
