import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogUsage } from '../catalog/catalog-usage';
import { CatalogModule } from '../catalog/catalog.module';
import { SettingsModule } from '../settings/settings.module';
import { HostInstancesController } from './host-instances.controller';
import { InstanceBillingRepository } from './instance-billing.repository';
import { InstanceBillingService } from './instance-billing.service';
import { InstanceCatalogUsage } from './instance-catalog-usage';
import { InstanceLookupService } from './instance-lookup.service';
import { INSTANCE_ENTITIES } from './instance.entity';
import { InstanceRepository } from './instance.repository';
import { InstanceService } from './instance.service';

/** Instances as the host reports them, their events and billing segments. */
@Module({
  imports: [TypeOrmModule.forFeature(INSTANCE_ENTITIES), CatalogModule, SettingsModule],
  controllers: [HostInstancesController],
  providers: [
    InstanceRepository,
    InstanceService,
    InstanceLookupService,
    InstanceBillingRepository,
    InstanceBillingService,
    // Not exported: the catalog, below, finds it with providedAbove.
    { provide: CatalogUsage, useClass: InstanceCatalogUsage },
  ],
  exports: [InstanceService, InstanceLookupService, InstanceBillingService],
})
export class InstancesModule {}
