import { Body, Controller, HttpCode, Param, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../../common/auth';
import { createValidationPipe } from '../../common/validation';
import { InstanceEventDto, InstanceResponseDto, mapInstance } from '../../instances/instance.dto';
import { InstanceService } from '../../instances/instance.service';
import { InstanceIdPipe } from '../proof/instance-id.pipe';
import { LateEventService } from './late-event.service';

/** The host's instance events. Here, not in instances/, because a late one re-rates settled hours. */
@ApiTags('host')
@Controller('host/instances')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class HostEventsController {
  constructor(
    private readonly events: LateEventService,
    private readonly instances: InstanceService,
  ) {}

  @Post(':id/events')
  @HttpCode(200)
  async event(@Param('id', InstanceIdPipe) id: string, @Body() dto: InstanceEventDto): Promise<InstanceResponseDto> {
    const instance = await this.events.applyHostEvent(id, dto);
    return mapInstance(instance, await this.instances.heldResources(id));
  }
}
