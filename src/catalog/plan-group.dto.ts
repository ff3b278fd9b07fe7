import { PartialType } from '@nestjs/swagger';
import { CatalogEntryCreateDto } from './catalog-entry.dto';
import type { PlanGroupEntity } from './plan.entity';

export class PlanGroupCreateDto extends CatalogEntryCreateDto {}

export class PlanGroupUpdateDto extends PartialType(PlanGroupCreateDto, { skipNullProperties: false }) {}

export class PlanGroupResponseDto {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  enabled: boolean;
  sortOrder: number;
}

export function mapPlanGroup(group: PlanGroupEntity): PlanGroupResponseDto {
  return {
    id: group.id,
    name: group.name,
    slug: group.slug,
    description: group.description,
    enabled: group.enabled,
    sortOrder: group.sortOrder,
  };
}
