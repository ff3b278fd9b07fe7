import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import {
  mapResourceRule,
  PlanRuleParams,
  PlanRulesParams,
  ResourceRuleCreateDto,
  ResourceRuleResponseDto,
  ResourceRuleUpdateDto,
} from './resource-rule.dto';
import { ResourceRuleService } from './resource-rule.service';
import { RetiredQuery } from './retired-query.dto';

@ApiTags('admin: metering')
@Controller('admin/plans/:planId/rules')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class ResourceRuleController {
  constructor(private readonly rules: ResourceRuleService) {}

  @Get()
  async list(@Param() { planId }: PlanRulesParams, @Query() query: RetiredQuery): Promise<ResourceRuleResponseDto[]> {
    return (await this.rules.list(planId, query.includeRetired ?? false)).map(mapResourceRule);
  }

  @Post()
  async create(
    @Param() { planId }: PlanRulesParams,
    @Body() dto: ResourceRuleCreateDto,
  ): Promise<ResourceRuleResponseDto> {
    return mapResourceRule(await this.rules.create(planId, dto));
  }

  @Patch(':ruleId')
  async update(
    @Param() { planId, ruleId }: PlanRuleParams,
    @Body() dto: ResourceRuleUpdateDto,
  ): Promise<ResourceRuleResponseDto> {
    return mapResourceRule(await this.rules.update(planId, ruleId, dto));
  }

  /** Retires the rule: it stops billing now and stays on record under its name. */
  @Delete(':ruleId')
  @HttpCode(204)
  async remove(@Param() { planId, ruleId }: PlanRuleParams): Promise<void> {
    await this.rules.remove(planId, ruleId);
  }
}
