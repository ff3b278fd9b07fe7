import { ACCOUNT_ENTITIES } from './accounts/account.entities';
import { BILLING_ENTITIES } from './billing/billing.entities';
import { BUDGET_ENTITIES } from './budgets/budget.entity';
import { CATALOG_ENTITIES } from './catalog/catalog.entities';
import { CURRENCY_ENTITIES } from './currencies/currency.entities';
import { INSTANCE_ENTITIES } from './instances/instance.entity';
import { METERING_ENTITIES } from './metering/metering.entities';
import { PAYMENTS_ENTITIES } from './payments/auto-top-up.entities';
import { PLACEMENT_ENTITIES } from './placement/placement-reservation.entity';
import { PROMOTION_ENTITIES } from './promotions/promo-code.entity';
import { SettingsEntity } from './settings/settings.entity';
import { STATEMENT_ENTITIES } from './statements/statement.entities';

/** Every table the plugin owns; a host adds these to its TypeORM data source. */
export const CLOUD_BILLING_ENTITIES = [
  SettingsEntity,
  ...CURRENCY_ENTITIES,
  ...CATALOG_ENTITIES,
  ...ACCOUNT_ENTITIES,
  ...INSTANCE_ENTITIES,
  ...METERING_ENTITIES,
  ...PLACEMENT_ENTITIES,
  ...BILLING_ENTITIES,
  ...PROMOTION_ENTITIES,
  ...BUDGET_ENTITIES,
  ...STATEMENT_ENTITIES,
  ...PAYMENTS_ENTITIES,
];
