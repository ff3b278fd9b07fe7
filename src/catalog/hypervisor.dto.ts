import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { Resources } from './capacity';
import type { HypervisorView } from './hypervisor-view';

export class HypervisorUpdateDto {
  @ApiProperty({ description: 'false puts the hypervisor in maintenance: no new instance goes there' })
  @IsBoolean()
  enabled: boolean;
}

export class ResourcesDto implements Resources {
  vcpus: number;
  ramMb: number;
  diskGb: number;
}

/** One member of a location, in round-robin order. */
export class LocationHypervisorResponseDto {
  hypervisorId: string;
  name: string;
  position: number;
  enabled: boolean;
  online: boolean;
  capacity: ResourcesDto;
  /** What the plugin's live instances and reservations in progress hold there. */
  allocated: ResourcesDto;
  free: ResourcesDto;
  /** The plugin's instances there that are not terminated. */
  instanceCount: number;
  /** Instances the host is creating there right now. */
  provisioningCount: number;
}

export class HypervisorResponseDto {
  hypervisorId: string;
  name: string;
  online: boolean;
  enabled: boolean;
  /** null while the hypervisor is in no location. */
  locationId: number | null;
  position: number | null;
  capacity: ResourcesDto;
  allocated: ResourcesDto;
  free: ResourcesDto;
  instanceCount: number;
  provisioningCount: number;
}

export function mapLocationHypervisor(view: HypervisorView): LocationHypervisorResponseDto {
  return {
    hypervisorId: view.hypervisorId,
    name: view.name,
    position: view.position,
    enabled: view.enabled,
    online: view.online,
    capacity: { ...view.capacity },
    allocated: { ...view.allocated },
    free: { ...view.free },
    instanceCount: view.instanceCount,
    provisioningCount: view.provisioningCount,
  };
}

export function mapHypervisor(view: HypervisorView): HypervisorResponseDto {
  return {
    hypervisorId: view.hypervisorId,
    name: view.name,
    online: view.online,
    enabled: view.enabled,
    locationId: view.locationId,
    position: view.locationId === null ? null : view.position,
    capacity: { ...view.capacity },
    allocated: { ...view.allocated },
    free: { ...view.free },
    instanceCount: view.instanceCount,
    provisioningCount: view.provisioningCount,
  };
}
