import { HypervisorAllocations } from '../catalog/hypervisor-allocations';
import { AllocationRepository } from './allocation.repository';
import { PlacementCron } from './placement.cron';
import { PlacementRepository } from './placement.repository';
import { PlacementService } from './placement.service';

export const PLACEMENT_PROVIDERS = [
  AllocationRepository,
  { provide: HypervisorAllocations, useExisting: AllocationRepository },
  PlacementRepository,
  PlacementService,
  PlacementCron,
];
