import { Body, Controller, Get, Patch, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { mapSettings, SettingsResponseDto, SettingsUpdateDto } from './settings.dto';
import { SettingsService } from './settings.service';

@ApiTags('admin: settings')
@Controller('admin/settings')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  async get(): Promise<SettingsResponseDto> {
    return mapSettings(await this.settings.get());
  }

  @Patch()
  async update(@Body() patch: SettingsUpdateDto): Promise<SettingsResponseDto> {
    return mapSettings(await this.settings.update(patch));
  }
}
