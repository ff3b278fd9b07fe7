import { Body, ConflictException, Controller, Get, HttpCode, Post, UseGuards, UsePipes } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { createValidationPipe, invalidField, invalidInput } from '../common/validation';
import { DemoClockListeners } from './clock-listeners';
import { DemoClock } from './demo-clock';
import { DemoAdminGuard } from './demo-guards';
import { DemoClockMoveDto, DemoClockMovedResponseDto, DemoClockResponseDto, MAX_CLOCK_STEP_SECONDS } from './demo.dto';

const NOT_MANUAL = 'the demo clock follows real time; start the demo with DEMO_CLOCK=manual to move it';

/**
 * The switchable clock: lets a demo show a month of billing in a few requests. Admins only: moving it settles
 * every account up to the new time.
 */
@ApiTags('demo')
@Controller('demo/clock')
@UseGuards(DemoAdminGuard)
@ApiUnauthorizedResponse({ description: 'no user' })
@ApiForbiddenResponse({ description: 'not an admin' })
@UsePipes(createValidationPipe())
export class DemoClockController {
  constructor(
    private readonly clock: DemoClock,
    private readonly listeners: DemoClockListeners,
  ) {}

  @Get()
  @ApiOkResponse({ type: DemoClockResponseDto })
  read(): DemoClockResponseDto {
    return { now: this.clock.now().toISOString(), manual: this.clock.isManual };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the manual clock forward and run what the scheduler would run by then' })
  @ApiOkResponse({ type: DemoClockMovedResponseDto })
  @ApiConflictResponse({ description: 'the clock is not manual' })
  async move(@Body() dto: DemoClockMoveDto): Promise<DemoClockMovedResponseDto> {
    if (!this.clock.isManual) throw new ConflictException(NOT_MANUAL);
    const target = this.target(dto);
    this.clock.set(target);
    const ran = await this.listeners.notify(target);
    return { ...this.read(), ran };
  }

  private target(dto: DemoClockMoveDto): Date {
    const current = this.clock.now();
    if ((dto.advanceSeconds === undefined) === (dto.now === undefined)) {
      const message = 'give exactly one of advanceSeconds and now';
      throw invalidInput([
        { field: 'advanceSeconds', rule: 'exactlyOne', message },
        { field: 'now', rule: 'exactlyOne', message },
      ]);
    }
    if (dto.advanceSeconds !== undefined) return new Date(current.getTime() + dto.advanceSeconds * 1000);
    const target = new Date(dto.now as string);
    // Time only moves forward: settled hours and sent emails cannot be taken back.
    if (target < current) {
      throw invalidField('now', 'notBeforeClock', `now must not be before the clock (${current.toISOString()})`);
    }
    if (target.getTime() - current.getTime() > MAX_CLOCK_STEP_SECONDS * 1000) {
      throw invalidField('now', 'maxStep', `now must be at most ${MAX_CLOCK_STEP_SECONDS} seconds ahead of the clock`);
    }
    return target;
  }
}
