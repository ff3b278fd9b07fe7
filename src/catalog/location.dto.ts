import { ApiProperty, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { CatalogEntryCreateDto } from './catalog-entry.dto';
import { LocationHypervisorResponseDto, mapLocationHypervisor } from './hypervisor.dto';
import type { LocationDetails } from './location.service';

export class LocationCreateDto extends CatalogEntryCreateDto {}

/** null is validated like any other value, so `{"name": null}` is a 400 rather than a broken row. */
export class LocationUpdateDto extends PartialType(LocationCreateDto, { skipNullProperties: false }) {}

export class LocationHypervisorsDto {
  @ApiProperty({ example: ['hv-fra-1', 'hv-fra-2'], description: 'the members, in round-robin order' })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique({ message: 'hypervisorIds must not list a hypervisor twice' })
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  hypervisorIds: string[];
}

export class LocationResponseDto {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  enabled: boolean;
  sortOrder: number;
  hypervisors: LocationHypervisorResponseDto[];
}

export function mapLocation(location: LocationDetails): LocationResponseDto {
  return {
    id: location.id,
    name: location.name,
    slug: location.slug,
    description: location.description,
    enabled: location.enabled,
    sortOrder: location.sortOrder,
    hypervisors: location.hypervisors.map(mapLocationHypervisor),
  };
}
