import { CatalogUsage } from '../catalog/catalog-usage';
import { HostInstancesController } from './host-instances.controller';
import { InstanceCatalogUsage } from './instance-catalog-usage';
import { InstanceLookupService } from './instance-lookup.service';
import { InstanceRepository } from './instance.repository';
import { InstanceService } from './instance.service';

export const INSTANCE_CONTROLLERS = [HostInstancesController];
export const INSTANCE_PROVIDERS = [
  InstanceRepository,
  InstanceService,
  InstanceLookupService,
  { provide: CatalogUsage, useClass: InstanceCatalogUsage },
];
