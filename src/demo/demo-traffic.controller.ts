import { BadRequestException, Body, Controller, Post, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { createValidationPipe, type FieldViolation, invalidInput } from '../common/validation';
import { mapUsageReport, type UsageReportResponseDto } from '../metering/metered-usage.dto';
import { MeteredUsageService } from '../metering/metered-usage.service';
import { DemoClock } from './demo-clock';
import { DemoAdminGuard } from './demo-guards';
import { DemoTrafficDto } from './demo.dto';

const DEFAULT_COUNTER = 'traffic-out';

/**
 * Simulated usage, as the cloud would report it, so the pages have traffic to show: one report now, under an id of
 * its own, through the same service as the plugin's `POST /host/instances/:id/usage`.
 */
@ApiTags('demo')
@Controller('demo/traffic')
@UseGuards(DemoAdminGuard)
@ApiUnauthorizedResponse({ description: 'no user' })
@ApiForbiddenResponse({ description: 'not an admin' })
@UsePipes(createValidationPipe())
export class DemoTrafficController {
  constructor(
    private readonly usage: MeteredUsageService,
    private readonly clock: DemoClock,
  ) {}

  @Post()
  @ApiOperation({ summary: "Report `gb` of a counter's usage (default traffic-out) on an instance, at the demo's now" })
  @ApiBadRequestResponse({ description: 'a field is wrong, or the counter is unknown or not on the plan' })
  @ApiNotFoundResponse({ description: 'no such instance' })
  async report(@Body() dto: DemoTrafficDto): Promise<UsageReportResponseDto> {
    const report = {
      counter: dto.counter ?? DEFAULT_COUNTER,
      quantity: dto.gb,
      at: this.clock.now().toISOString(),
      id: `demo-traffic:${randomUUID()}`,
    };
    try {
      const { report: stored } = await this.usage.report(dto.instanceId, report);
      return mapUsageReport(stored.row, stored.counterKey);
    } catch (error) {
      throw renameField(error, 'at', 'instanceId');
    }
  }
}

/**
 * This route sends `at` itself (now): a report refused for its time is refused for the instance (terminated), the
 * field the caller chose, so the 400 names that one instead.
 */
function renameField(error: unknown, from: string, to: string): unknown {
  if (!(error instanceof BadRequestException)) return error;
  const { errors } = error.getResponse() as { errors?: FieldViolation[] };
  if (!errors?.some((violation) => violation.field === from)) return error;
  return invalidInput(errors.map((violation) => (violation.field === from ? { ...violation, field: to } : violation)));
}
