import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Viewer } from '../common/auth';
import type { AuthenticatedUser } from '../host/ports';
import { DemoUserGuard } from './demo-guards';
import { DemoNotifier } from './demo-ports';
import { DemoOutboxMessageDto } from './demo.dto';

/**
 * The demo's mailbox. Its subjects tell a user's balance and status, so an admin reads every message and a
 * user only their own, as a real mail log would be shown; nobody reads it signed out.
 */
@ApiTags('demo')
@Controller('demo/outbox')
@UseGuards(DemoUserGuard)
export class DemoOutboxController {
  constructor(private readonly notifier: DemoNotifier) {}

  @Get()
  @ApiOperation({ summary: 'The notifications delivered, oldest first: all of them for an admin, a user their own' })
  @ApiOkResponse({ type: [DemoOutboxMessageDto] })
  @ApiUnauthorizedResponse({ description: 'no user' })
  @ApiForbiddenResponse({ description: 'never: a non-admin gets only their own messages' })
  outbox(@Viewer() viewer: AuthenticatedUser): DemoOutboxMessageDto[] {
    return this.notifier.delivered
      .filter((message) => viewer.isAdmin || message.userId === viewer.id)
      .map(({ userId, kind, subject, at }) => ({ userId, kind, subject, at }));
  }
}
