import { CurrencyController } from './currency.controller';
import { CurrencyRepository } from './currency.repository';
import { CurrencyService } from './currency.service';
import { PreferencesController } from './preferences.controller';
import { ViewerCurrencyService } from './viewer-currency.service';

export const CURRENCY_CONTROLLERS = [CurrencyController, PreferencesController];
export const CURRENCY_PROVIDERS = [CurrencyRepository, CurrencyService, ViewerCurrencyService];
