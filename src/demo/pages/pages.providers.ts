import { AdminAccountPageController } from './admin-account-page.controller';
import { AdminPageController } from './admin-page.controller';
import { AdminPromoCodesPageController } from './admin-promo-codes-page.controller';
import { BudgetPageController } from './budget-page.controller';
import { AutoTopUpPageController } from './auto-top-up-page.controller';
import { DashboardPageController } from './dashboard-page.controller';
import { MeteringAdminPageController } from './metering-admin-page.controller';
import { PanelCsrf, PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PanelRenderer } from './panel-renderer';
import { PanelSession } from './panel-session';
import { PluginApi } from './plugin-api';
import { StatementsPageController } from './statements-page.controller';
import { TopUpPageController } from './top-up-page.controller';
import { UsagePageController } from './usage-page.controller';
import { WizardPageController } from './wizard-page.controller';

/** The server-rendered pages of the demo host (/panel…), registered in DemoAppModule. */
export const PANEL_CONTROLLERS = [
  DashboardPageController,
  WizardPageController,
  UsagePageController,
  AdminPageController,
  MeteringAdminPageController,
  TopUpPageController,
  BudgetPageController,
  StatementsPageController,
  AutoTopUpPageController,
  AdminAccountPageController,
  AdminPromoCodesPageController,
];
export const PANEL_PROVIDERS = [
  PanelRenderer,
  PanelSession,
  PluginApi,
  PanelExceptionFilter,
  PanelCsrf,
  PanelCsrfGuard,
];
