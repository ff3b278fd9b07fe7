import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { HOST_ID_MESSAGE, HOST_ID_PATTERN, IsOmittable } from '../common/validation';

/** The largest id an INT column holds on MySQL. */
export const MAX_ID = 2_147_483_647;

/**
 * Ids in paths and queries arrive as text. Only plain digits become a number,
 * so "1.5", "1e3" or "0x10" stay text and fail IsInt with the parameter named,
 * instead of Number() quietly turning them into an id.
 */
const digitsToNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;

export function IsIdValue(): PropertyDecorator {
  return (target, key) => {
    Transform(digitsToNumber)(target, key);
    IsInt()(target, key);
    Min(1)(target, key);
    Max(MAX_ID)(target, key);
  };
}

export class IdParams {
  @ApiProperty({ example: 1 })
  @IsIdValue()
  id: number;
}

export class HypervisorParams {
  @ApiProperty({ example: 'hv-fra-1' })
  @Matches(HOST_ID_PATTERN, { message: `hypervisorId ${HOST_ID_MESSAGE}` })
  hypervisorId: string;
}

export class CatalogPlansQuery {
  @ApiPropertyOptional({ description: 'only the plans of this group' })
  @IsOmittable()
  @IsIdValue()
  groupId?: number;
}

export class CatalogLocationsQuery {
  @ApiPropertyOptional({ description: 'only the locations offering this plan, with capacity for it' })
  @IsOmittable()
  @IsIdValue()
  planId?: number;
}
