import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsISO8601, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN, IsOmittable } from '../common/validation';
import { MAX_USAGE_QUANTITY } from '../metering/metering-bounds';
import { IsMeteringKey, IsQuantity, MaxQuantity } from '../metering/metering.validation';
import { DEMO_USER_ID_PATTERN } from './demo-ports';

/** One move may skip at most a year, so a typo cannot make the scheduler settle centuries of hours. */
export const MAX_CLOCK_STEP_SECONDS = 366 * 24 * 3600;

const HYPERVISOR_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export class DemoHypervisorDto {
  @ApiProperty({ example: 'hv-ams-4', description: 'the host id; an existing id is changed' })
  @Matches(HYPERVISOR_ID_PATTERN, { message: 'id must be 1-64 letters, digits, ".", "_" or "-"' })
  id: string;

  @ApiProperty({ example: 'Amsterdam 4' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  name: string;

  @ApiProperty({ example: 32, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(4096)
  vcpus: number;

  @ApiProperty({ example: 65536, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(64 * 1024 * 1024)
  ramMb: number;

  @ApiProperty({ example: 1000, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1024 * 1024)
  diskGb: number;

  @ApiProperty({ example: true, description: 'false: placement skips it' })
  @IsBoolean()
  online: boolean;
}

export class DemoClockMoveDto {
  @ApiPropertyOptional({ example: 3600, description: 'move forward by this many seconds (or give `now`)' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(MAX_CLOCK_STEP_SECONDS)
  advanceSeconds?: number;

  @ApiPropertyOptional({ example: '2026-03-10T13:00:00Z', description: 'move to this time; not before the clock' })
  @IsOmittable()
  @IsISO8601({ strict: true, strictSeparator: true })
  now?: string;
}

export class DemoClockResponseDto {
  @ApiProperty({ example: '2026-03-10T12:00:00.000Z' })
  now: string;

  @ApiProperty({ description: 'true when started with DEMO_CLOCK=manual' })
  manual: boolean;
}

export class DemoClockMovedResponseDto extends DemoClockResponseDto {
  @ApiProperty({ description: 'what each registered scheduler job reported for the new time', type: [Object] })
  ran: unknown[];
}

export class DemoLoginQueryDto {
  @ApiProperty({ example: 'alice', description: 'any id is a user; ids in DEMO_ADMINS are admins' })
  @Matches(DEMO_USER_ID_PATTERN, { message: 'as must be 1-64 letters, digits, ".", "_", "@" or "-"' })
  as: string;
}

export class DemoProvisionerFailuresDto {
  @ApiProperty({ example: 2, minimum: 0, description: 'the next `count` provisioner calls fail; 0 clears' })
  @IsInt()
  @Min(0)
  @Max(1000)
  count: number;
}

export class DemoPaymentFailuresDto {
  @ApiProperty({ example: 1, minimum: 0, description: 'the next `count` charges are declined; 0 clears' })
  @IsInt()
  @Min(0)
  @Max(1000)
  count: number;
}

export class DemoOutboxMessageDto {
  @ApiProperty({ example: 'alice' })
  userId: string;

  @ApiProperty({ example: 'low-balance' })
  kind: string;

  @ApiProperty()
  subject: string;

  @ApiProperty({ example: '2026-03-10T12:00:00.000Z' })
  at: string;
}

export class DemoAmqpPublishDto {
  @ApiProperty({ example: 'alice', description: 'the owner of the sample instance' })
  @Matches(DEMO_USER_ID_PATTERN, { message: 'userId must be 1-64 letters, digits, ".", "_", "@" or "-"' })
  userId: string;

  @ApiProperty({ example: 1, description: 'an existing plan; another one lands in the dead-letter queue' })
  @IsInt()
  @Min(1)
  planId: number;
}

export class DemoAmqpPublishedDto {
  @ApiProperty({ example: 'cloud-billing.events' })
  queue: string;

  @ApiProperty({ description: 'the messages published, in order (README, "Events over AMQP")', type: [Object] })
  messages: object[];
}

export class DemoTrafficDto {
  @ApiProperty({ example: 'vm-1001', description: 'the instance that used it' })
  @Matches(HOST_ID_PATTERN, { message: `instanceId ${HOST_ID_MESSAGE}` })
  instanceId: string;

  @ApiProperty({ example: '250.5', description: "how much, in the counter's unit (GB for traffic-out); exact, > 0" })
  @IsQuantity({ positive: true })
  @MaxQuantity(MAX_USAGE_QUANTITY)
  gb: string | number;

  @ApiPropertyOptional({
    example: 'traffic-out',
    default: 'traffic-out',
    description: "a counter on the instance's plan",
  })
  @IsOmittable()
  @IsMeteringKey()
  counter?: string;
}
