import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BillingModule } from '../billing/billing.module';
import { HypervisorAllocations } from '../catalog/hypervisor-allocations';
import { CatalogModule } from '../catalog/catalog.module';
import { AllocationRepository } from './allocation.repository';
import { PLACEMENT_ENTITIES } from './placement-reservation.entity';
import { PlacementCron } from './placement.cron';
import { PlacementRepository } from './placement.repository';
import { PlacementService } from './placement.service';

/** Which hypervisor takes a new instance, and the reservations held while the host creates it. */
@Module({
  imports: [TypeOrmModule.forFeature(PLACEMENT_ENTITIES), CatalogModule, BillingModule],
  providers: [
    AllocationRepository,
    // Not exported: the catalog, below, finds it with providedAbove.
    { provide: HypervisorAllocations, useExisting: AllocationRepository },
    PlacementRepository,
    PlacementService,
    PlacementCron,
  ],
  exports: [PlacementService],
})
export class PlacementModule {}
