import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { IsIdValue } from '../catalog/catalog-params.dto';
import type { Money } from '../common/money';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN } from '../common/validation';
import type { InstanceEntity } from '../instances/instance.entity';
import { QuoteRequestDto } from './wizard.dto';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** What the quote takes (plan and location), plus the new instance's name. */
export class MeInstanceCreateDto extends QuoteRequestDto {
  @ApiProperty({ example: 'web-1', maxLength: 128 })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty({ message: 'name must not be blank' })
  @MaxLength(128)
  name: string;
}

export class MeInstanceResizeDto {
  @ApiProperty({ example: 2, description: 'the plan to move to' })
  @IsIdValue()
  planId: number;
}

export class MeInstanceParams {
  @ApiProperty({ example: '0b6f3c8e-4d1a-4a57-9a43-2f1e5c7d9b10' })
  @Matches(HOST_ID_PATTERN, { message: `id ${HOST_ID_MESSAGE}` })
  id: string;
}

export class MeInstanceResponseDto {
  id: string;
  name: string;
  planId: number;
  /** The plan's name; null when the plan was deleted since. */
  plan: string | null;
  locationId: number | null;
  location: string | null;
  hypervisorId: string | null;
  state: string;
  createdAt: string;
  terminatedAt: string | null;
}

/** Names of plans and locations by id, to show with the ids. */
export interface CatalogNames {
  plans: Map<number, string>;
  locations: Map<number, string>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function mapMeInstance(instance: InstanceEntity, names: CatalogNames): MeInstanceResponseDto {
  return {
    id: instance.id,
    name: instance.name,
    planId: instance.planId,
    plan: names.plans.get(instance.planId) ?? null,
    locationId: instance.locationId,
    location: instance.locationId === null ? null : (names.locations.get(instance.locationId) ?? null),
    hypervisorId: instance.hypervisorId,
    state: instance.state,
    createdAt: iso(instance.createdAtMs),
    terminatedAt: instance.terminatedAtMs === null ? null : iso(instance.terminatedAtMs),
  };
}

export class ResizeQuoteResponseDto {
  instanceId: string;
  /** The plan quoted. */
  planId: number;
  /** From now to the end of the billing month (the admin's time zone). */
  from: string;
  until: string;
  /** What the rest of the month costs running on the new plan, its monthly cap applied. */
  restOfMonth: Money;
  hourly: Money;
  monthlyCap: Money | null;
  /** The same on the plan it has now, to compare. */
  current: { planId: number; restOfMonth: Money };
  canResize: boolean;
  reason: string | null;
}
