import { Body, Controller, HttpCode, Post, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { createValidationPipe } from '../common/validation';
import { DemoAmqpPublisher } from './demo-amqp-publisher';
import { DemoClock } from './demo-clock';
import { DemoAdminGuard } from './demo-guards';
import { DemoAmqpPublishDto, DemoAmqpPublishedDto } from './demo.dto';

const HOUR_MS = 3_600_000;

/** Sample traffic through the plugin's queue, so the demo shows the AMQP path (README, "Events over AMQP"). */
@ApiTags('demo')
@Controller('demo/amqp')
@UseGuards(DemoAdminGuard)
@ApiUnauthorizedResponse({ description: 'no user' })
@ApiForbiddenResponse({ description: 'not an admin' })
@UsePipes(createValidationPipe())
export class DemoAmqpController {
  constructor(
    private readonly publisher: DemoAmqpPublisher,
    private readonly clock: DemoClock,
  ) {}

  @Post('publish')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Publish a sample instance to the queue: registered two hours ago, stopped an hour ago, started now ' +
      '(the plugin consumes them; watch the account and usage report)',
  })
  @ApiConflictResponse({ description: 'the demo host was started without DEMO_AMQP_URL' })
  @ApiServiceUnavailableResponse({ description: 'RabbitMQ did not take the messages' })
  async publish(@Body() dto: DemoAmqpPublishDto): Promise<DemoAmqpPublishedDto> {
    const now = this.clock.now().getTime();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR_MS).toISOString();
    const id = `amqp-${randomBytes(3).toString('hex')}`;
    const messages = [
      { type: 'instance.registered', instance: { id, userId: dto.userId, planId: dto.planId, name: id, at: at(2) } },
      { type: 'instance.event', instanceId: id, event: { type: 'stopped', at: at(1) } },
      { type: 'instance.event', instanceId: id, event: { type: 'started', at: at(0) } },
    ];
    return { queue: await this.publisher.publish(messages), messages };
  }
}
