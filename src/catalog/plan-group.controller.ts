import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { IdParams } from './catalog-params.dto';
import { mapPlanGroup, PlanGroupCreateDto, PlanGroupResponseDto, PlanGroupUpdateDto } from './plan-group.dto';
import { PlanGroupService } from './plan-group.service';

@ApiTags('admin: catalog')
@Controller('admin/plan-groups')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class PlanGroupController {
  constructor(private readonly groups: PlanGroupService) {}

  @Get()
  async list(): Promise<PlanGroupResponseDto[]> {
    return (await this.groups.list()).map(mapPlanGroup);
  }

  @Post()
  async create(@Body() dto: PlanGroupCreateDto): Promise<PlanGroupResponseDto> {
    return mapPlanGroup(await this.groups.create(dto));
  }

  @Patch(':id')
  async update(@Param() { id }: IdParams, @Body() dto: PlanGroupUpdateDto): Promise<PlanGroupResponseDto> {
    return mapPlanGroup(await this.groups.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param() { id }: IdParams): Promise<void> {
    await this.groups.remove(id);
  }
}
