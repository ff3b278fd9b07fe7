import { Controller, Get, Query, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../host/ports';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { CatalogLocationsQuery, CatalogPlansQuery } from './catalog-params.dto';
import {
  CatalogLocationResponseDto,
  CatalogPlanGroupResponseDto,
  CatalogPlanResponseDto,
  mapCatalogLocation,
  mapCatalogPlan,
  mapCatalogPlanGroup,
} from './catalog.dto';
import { CatalogService } from './catalog.service';

@ApiTags('catalog')
@Controller('catalog')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('plan-groups')
  async planGroups(): Promise<CatalogPlanGroupResponseDto[]> {
    return (await this.catalog.planGroups()).map(mapCatalogPlanGroup);
  }

  @Get('plans')
  async plans(
    @Viewer() viewer: AuthenticatedUser,
    @Query() { groupId }: CatalogPlansQuery,
  ): Promise<CatalogPlanResponseDto[]> {
    const { viewer: currency, plans } = await this.catalog.planList(viewer.id, groupId);
    return plans.map((plan) => mapCatalogPlan(plan, currency));
  }

  @Get('locations')
  async locations(@Query() { planId }: CatalogLocationsQuery): Promise<CatalogLocationResponseDto[]> {
    return (await this.catalog.locationList(planId)).map(mapCatalogLocation);
  }
}
