import { Body, Controller, Get, Patch, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../host/ports';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { PreferencesResponseDto, PreferencesUpdateDto } from './currency.dto';
import { ViewerCurrency, ViewerCurrencyService } from './viewer-currency.service';

const mapPreferences = (view: ViewerCurrency): PreferencesResponseDto => ({
  currency: view.currency.code,
  preferredCurrency: view.preferredCurrency,
});

@ApiTags('me')
@Controller('me/preferences')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class PreferencesController {
  constructor(private readonly viewerCurrency: ViewerCurrencyService) {}

  @Get()
  async get(@Viewer() viewer: AuthenticatedUser): Promise<PreferencesResponseDto> {
    return mapPreferences(await this.viewerCurrency.forUser(viewer.id));
  }

  @Patch()
  async update(
    @Viewer() viewer: AuthenticatedUser,
    @Body() dto: PreferencesUpdateDto,
  ): Promise<PreferencesResponseDto> {
    return mapPreferences(await this.viewerCurrency.setPreference(viewer.id, dto.currency));
  }
}
