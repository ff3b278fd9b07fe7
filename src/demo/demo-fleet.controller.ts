import { Body, Controller, Get, HttpCode, Post, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HypervisorInfo } from '../host/ports';
import { createValidationPipe } from '../common/validation';
import { DemoAdminGuard } from './demo-guards';
import { DemoHypervisorInventory, DemoProvisioner, ProvisionerCall } from './demo-ports';
import { DemoHypervisorDto, DemoProvisionerFailuresDto } from './demo.dto';

/** The simulated host around the plugin: its hypervisors and its provisioner. Admins only, as in a real panel. */
@ApiTags('demo')
@Controller('demo')
@UseGuards(DemoAdminGuard)
@ApiUnauthorizedResponse({ description: 'no user' })
@ApiForbiddenResponse({ description: 'not an admin' })
@UsePipes(createValidationPipe())
export class DemoFleetController {
  constructor(
    private readonly inventory: DemoHypervisorInventory,
    private readonly provisioner: DemoProvisioner,
  ) {}

  @Get('hypervisors')
  hypervisors(): Promise<HypervisorInfo[]> {
    return this.inventory.listHypervisors();
  }

  @Post('hypervisors')
  @ApiOperation({ summary: 'Add a simulated hypervisor (201) or change one with the same id (200)' })
  upsertHypervisor(@Body() dto: DemoHypervisorDto, @Res({ passthrough: true }) res: Response): HypervisorInfo {
    res.status(this.inventory.has(dto.id) ? 200 : 201);
    const { id, name, vcpus, ramMb, diskGb, online } = dto;
    return this.inventory.upsert({ id, name, vcpus, ramMb, diskGb, online });
  }

  @Get('provisioner/calls')
  provisionerCalls(): ProvisionerCall[] {
    return this.provisioner.calls.map((call) => ({ ...call }));
  }

  @Post('provisioner/failures')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make the next `count` provisioner calls fail, to watch the outbox retry' })
  failProvisioner(@Body() dto: DemoProvisionerFailuresDto): { pendingFailures: number } {
    this.provisioner.failNext(dto.count);
    return { pendingFailures: this.provisioner.pendingFailures };
  }
}
