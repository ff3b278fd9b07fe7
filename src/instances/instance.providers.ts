import { HostInstancesController } from './host-instances.controller';
import { InstanceRepository } from './instance.repository';
import { InstanceService } from './instance.service';

export const INSTANCE_CONTROLLERS = [HostInstancesController];
export const INSTANCE_PROVIDERS = [InstanceRepository, InstanceService];
