import { Body, Controller, Get, Param, Patch, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { HypervisorParams } from './catalog-params.dto';
import { HypervisorResponseDto, HypervisorUpdateDto, mapHypervisor } from './hypervisor.dto';
import { HypervisorService } from './hypervisor.service';

@ApiTags('admin: catalog')
@Controller('admin/hypervisors')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class HypervisorController {
  constructor(private readonly hypervisors: HypervisorService) {}

  @Get()
  async list(): Promise<HypervisorResponseDto[]> {
    return (await this.hypervisors.list()).map(mapHypervisor);
  }

  @Patch(':hypervisorId')
  async update(
    @Param() { hypervisorId }: HypervisorParams,
    @Body() dto: HypervisorUpdateDto,
  ): Promise<HypervisorResponseDto> {
    return mapHypervisor(await this.hypervisors.setEnabled(hypervisorId, dto.enabled));
  }
}
