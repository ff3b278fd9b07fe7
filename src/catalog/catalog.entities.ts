import { HypervisorEntity, LocationEntity } from './location.entity';
import { PlanEntity, PlanGroupEntity, PlanLocationEntity } from './plan.entity';

export const CATALOG_ENTITIES = [LocationEntity, HypervisorEntity, PlanGroupEntity, PlanEntity, PlanLocationEntity];
