import { CatalogUsage } from '../catalog/catalog-usage';
import { HostInstancesController } from './host-instances.controller';
import { InstanceCatalogUsage } from './instance-catalog-usage';
import { InstanceRepository } from './instance.repository';
import { InstanceService } from './instance.service';

export const INSTANCE_CONTROLLERS = [HostInstancesController];
export const INSTANCE_PROVIDERS = [
  InstanceRepository,
  InstanceService,
  { provide: CatalogUsage, useClass: InstanceCatalogUsage },
];
