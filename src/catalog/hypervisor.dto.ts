import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { Resources } from './capacity';
import type { HypervisorView } from './hypervisor.service';

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
}

export function mapLocationHypervisor(view: HypervisorView): LocationHypervisorResponseDto {
  return {
    hypervisorId: view.hypervisorId,
    name: view.name,
    position: view.position,
    enabled: view.enabled,
    online: view.online,
    capacity: { ...view.capacity },
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
  };
}
