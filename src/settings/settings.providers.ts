import { SettingsController } from './settings.controller';
import { SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';

export const SETTINGS_CONTROLLERS = [SettingsController];
export const SETTINGS_PROVIDERS = [SettingsRepository, SettingsService];
