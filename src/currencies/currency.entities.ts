import { CurrencyEntity, UserPreferenceEntity } from './currency.entity';

export const CURRENCY_ENTITIES = [CurrencyEntity, UserPreferenceEntity];
