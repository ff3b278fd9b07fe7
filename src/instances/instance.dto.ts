import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN, IsOmittable } from '../common/validation';
import { TRANSITION_EVENTS, TransitionEvent } from './instance-lifecycle';
import type { InstanceEntity } from './instance.entity';

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
}

const iso = (ms: number) => new Date(ms).toISOString();

export function mapInstance(instance: InstanceEntity): InstanceResponseDto {
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
  };
}
