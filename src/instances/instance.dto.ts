import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN, IsOmittable } from '../common/validation';
import { TRANSITION_EVENTS, TransitionEvent } from './instance-lifecycle';
import type { InstanceEntity } from './instance.entity';
import {
  formatResources,
  MAX_RESOURCE_KEYS,
  type ReportedResources,
  type ResourceQuantities,
} from './resource-quantities';
import { IsResourceMap, OnlyForEventType } from './resource-quantities.validation';

const RESOURCES_SCHEMA = {
  type: 'object' as const,
  additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }] },
  example: { ipv4: 2, backup: 1 },
};

const RESOURCE_ENTRIES =
  'resource key (a resource rule’s key: lowercase letters, digits and single dashes, at most 64 characters) → ' +
  `quantity (a number or decimal string ≥ 0 with at most 6 decimal places, at most 1,000,000); at most ${MAX_RESOURCE_KEYS} keys`;

export class HostInstanceCreateDto {
  @ApiProperty({ example: 'vm-1001' })
  @Matches(HOST_ID_PATTERN, { message: `id ${HOST_ID_MESSAGE}` })
  id: string;

  @ApiProperty({ example: 'alice' })
  @Matches(HOST_ID_PATTERN, { message: `userId ${HOST_ID_MESSAGE}` })
  userId: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  planId: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsInt()
  @Min(1)
  locationId?: number;

  @ApiPropertyOptional({ example: 'hv-ams-1' })
  @IsOmittable()
  @Matches(HOST_ID_PATTERN, { message: `hypervisorId ${HOST_ID_MESSAGE}` })
  hypervisorId?: string;

  @ApiProperty({ example: 'web-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  name: string;

  @ApiProperty({ example: '2026-03-10T12:00:00Z', description: 'when the host created it' })
  @IsISO8601({ strict: true })
  at: string;

  @ApiPropertyOptional({
    ...RESOURCES_SCHEMA,
    description: `the resources it starts with, ${RESOURCE_ENTRIES} (0: not held); none when left out`,
  })
  @IsOmittable()
  @IsResourceMap()
  resources?: ReportedResources;
}

export class InstanceEventDto {
  @ApiProperty({ enum: TRANSITION_EVENTS })
  @IsIn(TRANSITION_EVENTS)
  type: TransitionEvent;

  @ApiProperty({ example: '2026-03-10T15:30:00Z' })
  @IsISO8601({ strict: true })
  at: string;

  @ApiPropertyOptional({ description: 'the new plan, for "resized"' })
  @ValidateIf((event: InstanceEventDto) => event.type === 'resized' || event.planId !== undefined)
  @IsInt()
  @Min(1)
  planId?: number;

  @ApiPropertyOptional({
    ...RESOURCES_SCHEMA,
    description:
      `For "resources", and only there (required): the quantities the instance holds from \`at\` on, ${RESOURCE_ENTRIES}. ` +
      'The keys listed take the quantity given, the keys not listed keep theirs, and 0 removes a key. It closes the ' +
      'open segment and opens one in the same state on the same plan with the quantities merged, so resource rules ' +
      'bill them to the second; every other event carries the quantities over to the segment it opens. The same ' +
      'report at the same instant again is a no-op; a different one at that instant, a 409.',
  })
  @ValidateIf((event: InstanceEventDto) => event.type === 'resources' || event.resources !== undefined)
  @IsDefined({ message: 'resources is required for a "resources" event' })
  @OnlyForEventType('resources')
  @IsResourceMap()
  resources?: ReportedResources;
}

export class InstanceResponseDto {
  id: string;
  userId: string;
  name: string;
  planId: number;
  locationId: number | null;
  hypervisorId: string | null;
  state: string;
  createdAt: string;
  terminatedAt: string | null;
  settledUntil: string;
  /** What it holds now, resource key → quantity as a decimal string (`{ "ipv4": "2" }`); `{}` once terminated. */
  resources: Record<string, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function mapInstance(instance: InstanceEntity, resources: ResourceQuantities): InstanceResponseDto {
  return {
    id: instance.id,
    userId: instance.userId,
    name: instance.name,
    planId: instance.planId,
    locationId: instance.locationId,
    hypervisorId: instance.hypervisorId,
    state: instance.state,
    createdAt: iso(instance.createdAtMs),
    terminatedAt: instance.terminatedAtMs === null ? null : iso(instance.terminatedAtMs),
    settledUntil: iso(instance.settledUntilMs),
    resources: formatResources(resources),
  };
}
