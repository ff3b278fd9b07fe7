export { CloudBillingModule } from './cloud-billing.module';
export {
  CLOUD_BILLING_OPTIONS,
  CLOUD_BILLING_OPTIONS_TYPE,
  CLOUD_BILLING_ASYNC_OPTIONS_TYPE,
} from './cloud-billing.module-definition';
export type { CloudBillingOptions, CloudBillingExtras, CloudBillingAmqpOptions } from './cloud-billing.options';
export {
  HYPERVISOR_INVENTORY,
  INSTANCE_PROVISIONER,
  BILLING_NOTIFIER,
  USER_DIRECTORY,
  CURRENT_USER,
  PAYMENT_GATEWAY,
  CLOCK,
  DEFAULT_ROUTE_PREFIX,
} from './cloud-billing.constants';
export type * from './host/ports';
export type { Clock } from './common/clock';
export { SystemClock } from './common/clock';
export type { Money } from './common/money';
// LedgerService.post and InstanceService's *In methods join a unit of work the host runs through this.
export { UnitOfWork, Isolation } from './common/unit-of-work';
export type { Tx, UnitOfWorkOptions } from './common/unit-of-work';
export { CLOUD_BILLING_ENTITIES } from './cloud-billing.entities';
export { CLOUD_BILLING_MIGRATIONS } from '../migrations';
export { SettingsService } from './settings/settings.service';
export { CurrencyService } from './currencies/currency.service';
export { ViewerCurrencyService } from './currencies/viewer-currency.service';
export { LocationService } from './catalog/location.service';
export { PlanGroupService } from './catalog/plan-group.service';
export { PlanService } from './catalog/plan.service';
export { LedgerService } from './accounts/ledger.service';
export type { LedgerPostInput, LedgerChargeInput, LedgerPostResult } from './accounts/ledger.service';
export { InstanceService } from './instances/instance.service';
export { MeteringLookupService } from './metering/metering-lookup.service';
export type { MeteredCounter, ResourceRule } from './metering/metering.types';
export { BillingRunService } from './billing/run/billing-run.service';
export type { BillingRunSummary } from './billing/run/billing-run.service';
export { SettlementService } from './billing/settlement/settlement.service';
export { BudgetService } from './budgets/budget.service';
export type { BudgetStatus, BudgetSettings } from './budgets/budget-status.service';
export { StatementsService } from './statements/statements.service';
export { StatementCloseService } from './statements/statement-close.service';
export type { AccountStatus } from './accounts/account-status';
export type { FieldViolation } from './common/validation';
// What the HTTP API answers, for hosts that call it and want the shapes typed.
export type { SettingsResponseDto } from './settings/settings.dto';
export type { CurrencyResponseDto, PreferencesResponseDto } from './currencies/currency.dto';
export type {
  CatalogLocationResponseDto,
  CatalogPlanGroupResponseDto,
  CatalogPlanResponseDto,
} from './catalog/catalog.dto';
export type { LocationResponseDto } from './catalog/location.dto';
export type { LocationHypervisorResponseDto, HypervisorResponseDto } from './catalog/hypervisor.dto';
export type { PlanGroupResponseDto } from './catalog/plan-group.dto';
export type { PlanResponseDto } from './catalog/plan.dto';
export type { ResourceRuleResponseDto } from './metering/resource-rule.dto';
export type { MeteredCounterResponseDto } from './metering/metered-counter.dto';
export type {
  AccountCreditResponseDto,
  AccountResponseDto,
  AccountSummaryResponseDto,
  AdminLedgerPageEntryResponseDto,
  AdminLedgerPageResponseDto,
  LedgerEntryResponseDto,
  LedgerPageResponseDto,
} from './accounts/account.dto';
export type { CreditGrantResponseDto } from './accounts/grants/grant.dto';
export type { PromoCodeResponseDto } from './promotions/promo-code.dto';
export type { QuoteResponseDto } from './wizard/wizard.dto';
export type { MeInstanceResponseDto, ResizeQuoteResponseDto } from './wizard/me-instance.dto';
export type { UsageAdjustmentResponseDto, UsageReportResponseDto } from './reports/usage-report.dto';
export type { WidgetResponseDto } from './widget/widget.dto';
export type { BudgetResponseDto } from './budgets/budget.dto';
export type { StatementResponseDto, StatementSummaryResponseDto } from './statements/statement.dto';
export type { SettlementFailureResponseDto } from './billing/run/settlement-failure.dto';
export type {
  AutoTopUpResponseDto,
  AutoTopUpRuleResponseDto,
  AutoTopUpAttemptResponseDto,
} from './payments/auto-top-up.dto';
