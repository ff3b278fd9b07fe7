import { Body, Controller, Post, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { HostInstanceCreateDto, InstanceResponseDto, mapInstance } from './instance.dto';
import { InstanceService } from './instance.service';

/** How the host panel tells billing about instances it manages itself (their events: billing/rerating). */
@ApiTags('host')
@Controller('host/instances')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class HostInstancesController {
  constructor(private readonly instances: InstanceService) {}

  @Post()
  async register(
    @Body() dto: HostInstanceCreateDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<InstanceResponseDto> {
    const { instance, created } = await this.instances.register(dto);
    response.status(created ? 201 : 200);
    return mapInstance(instance, await this.instances.heldResources(instance.id));
  }
}
