import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { IdParams } from './catalog-params.dto';
import { mapPlan, PlanCreateDto, PlanResponseDto, PlanUpdateDto } from './plan.dto';
import { PlanService } from './plan.service';

@ApiTags('admin: catalog')
@Controller('admin/plans')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class PlanController {
  constructor(private readonly plans: PlanService) {}

  @Get()
  async list(): Promise<PlanResponseDto[]> {
    return (await this.plans.list()).map(mapPlan);
  }

  @Post()
  async create(@Body() dto: PlanCreateDto): Promise<PlanResponseDto> {
    return mapPlan(await this.plans.create(dto));
  }

  @Patch(':id')
  async update(@Param() { id }: IdParams, @Body() dto: PlanUpdateDto): Promise<PlanResponseDto> {
    return mapPlan(await this.plans.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param() { id }: IdParams): Promise<void> {
    await this.plans.remove(id);
  }
}
