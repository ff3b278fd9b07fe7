import { Body, Controller, Delete, Get, HttpCode, Put, UseGuards, UsePipes } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { AutoTopUpResponseDto, AutoTopUpRuleDto } from './auto-top-up.dto';
import { mapAutoTopUp } from './auto-top-up.mapper';
import { AutoTopUpService } from './auto-top-up.service';

/** The signed-in user's auto top-up rule and recent attempts; 404 when the host has no payment gateway. */
@ApiTags('me')
@Controller('me/auto-top-up')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
@ApiNotFoundResponse({ description: 'the host configured no payment gateway: auto top-up is not offered' })
export class MeAutoTopUpController {
  constructor(private readonly autoTopUp: AutoTopUpService) {}

  @Get()
  @ApiOkResponse({ type: AutoTopUpResponseDto })
  async get(@Viewer() viewer: AuthenticatedUser): Promise<AutoTopUpResponseDto> {
    return mapAutoTopUp(await this.autoTopUp.get(viewer.id));
  }

  @Put()
  @ApiOkResponse({ type: AutoTopUpResponseDto, description: 'the rule set; it acts at once if the balance is below' })
  async put(@Viewer() viewer: AuthenticatedUser, @Body() dto: AutoTopUpRuleDto): Promise<AutoTopUpResponseDto> {
    return mapAutoTopUp(await this.autoTopUp.set(viewer.id, dto));
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'opted out (also when there was no rule)' })
  async remove(@Viewer() viewer: AuthenticatedUser): Promise<void> {
    await this.autoTopUp.remove(viewer.id);
  }
}
