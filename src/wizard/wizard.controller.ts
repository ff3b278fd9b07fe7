import { Body, Controller, HttpCode, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { mapQuote, QuoteRequestDto, QuoteResponseDto } from './wizard.dto';
import { WizardService } from './wizard.service';

@ApiTags('me')
@Controller('me')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class WizardController {
  constructor(private readonly wizard: WizardService) {}

  /** A preview: nothing is reserved, so a later creation can still find the location full. */
  @Post('quote')
  @HttpCode(200)
  @ApiOkResponse({ type: QuoteResponseDto })
  async quote(@Viewer() viewer: AuthenticatedUser, @Body() dto: QuoteRequestDto): Promise<QuoteResponseDto> {
    return mapQuote(await this.wizard.quote(viewer.id, dto.planId, dto.locationId));
  }
}
