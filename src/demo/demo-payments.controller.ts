import { Body, Controller, Get, HttpCode, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { createValidationPipe } from '../common/validation';
import { DemoAdminGuard } from './demo-guards';
import { DemoCharge, DemoPaymentGateway } from './demo-payment-gateway';
import { DemoPaymentFailuresDto } from './demo.dto';

/** The simulated card processor behind auto top-up. Admins only, as the fleet's controls are. */
@ApiTags('demo')
@Controller('demo/payments')
@UseGuards(DemoAdminGuard)
@ApiUnauthorizedResponse({ description: 'no user' })
@ApiForbiddenResponse({ description: 'not an admin' })
@UsePipes(createValidationPipe())
export class DemoPaymentsController {
  constructor(private readonly gateway: DemoPaymentGateway) {}

  @Get('charges')
  @ApiOperation({ summary: 'Every charge call the plugin made, oldest first (failed ones and repeats included)' })
  charges(): DemoCharge[] {
    return this.gateway.calls.map((call) => ({ ...call }));
  }

  @Post('fail-next')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline the next `count` charges, to watch the outbox retry and the failure email' })
  failNext(@Body() dto: DemoPaymentFailuresDto): { pendingFailures: number } {
    this.gateway.failNext(dto.count);
    return { pendingFailures: this.gateway.pendingFailures };
  }
}
