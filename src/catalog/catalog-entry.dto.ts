import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable, SLUG_MESSAGE, SLUG_PATTERN } from '../common/validation';
import type { CatalogEntryEntity } from './catalog-entry.entity';

export const MAX_SORT_ORDER = 1_000_000;

export function IsSlug(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    MaxLength(64)(target, key);
    Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })(target, key);
  };
}

export function IsEntryName(): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(100)(target, key);
  };
}

export function IsSortOrder(): PropertyDecorator {
  return (target, key) => {
    IsOmittable()(target, key);
    IsInt()(target, key);
    Min(0)(target, key);
    Max(MAX_SORT_ORDER)(target, key);
  };
}

/** What locations and plan groups share: a named, ordered entry an admin can switch off. */
export class CatalogEntryCreateDto {
  @ApiProperty({ example: 'Frankfurt' })
  @IsEntryName()
  name: string;

  @ApiProperty({ example: 'eu-central' })
  @IsSlug()
  slug: string;

  @ApiPropertyOptional({ nullable: true, example: 'Tier III data centre' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_SORT_ORDER, description: 'lower comes first' })
  @IsSortOrder()
  sortOrder?: number;
}

/** A new entry's columns: what the admin sent, and the defaults for what they left out. */
export function newCatalogEntry(dto: CatalogEntryCreateDto): Omit<CatalogEntryEntity, 'id'> {
  return {
    name: dto.name,
    slug: dto.slug,
    description: dto.description ?? null,
    enabled: dto.enabled ?? true,
    sortOrder: dto.sortOrder ?? 0,
  };
}
