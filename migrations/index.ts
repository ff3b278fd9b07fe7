import { SettingsAndCurrencies1763740000000 } from './1763740000000-settings-and-currencies';

/** In order; a host adds these to its data source's `migrations`. */
export const CLOUD_BILLING_MIGRATIONS = [SettingsAndCurrencies1763740000000];
