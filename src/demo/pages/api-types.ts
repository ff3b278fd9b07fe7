/**
 * The shapes the pages read from the plugin's HTTP API: the plugin's own response types, imported from the
 * package root as any host would, so a page cannot drift from what the API answers.
 */
import type {
  AccountCreditResponseDto,
  AccountResponseDto,
  AccountSummaryResponseDto,
  AdminLedgerPageResponseDto,
  AutoTopUpResponseDto,
  CatalogLocationResponseDto,
  CatalogPlanGroupResponseDto,
  CatalogPlanResponseDto,
  CreditGrantResponseDto,
  CurrencyResponseDto,
  FieldViolation,
  LedgerEntryResponseDto,
  LocationHypervisorResponseDto,
  LocationResponseDto,
  MeInstanceResponseDto,
  MeteredCounterResponseDto,
  PlanGroupResponseDto,
  PlanResponseDto,
  PreferencesResponseDto,
  PromoCodeResponseDto,
  QuoteResponseDto,
  ResourceRuleResponseDto,
  SettingsResponseDto,
  SettlementFailureResponseDto,
  UsageReportResponseDto,
} from '../../index';

export type { AccountStatus, Money } from '../../index';
export type ApiFieldError = FieldViolation;
export type PlanGroup = CatalogPlanGroupResponseDto;
export type CatalogPlan = CatalogPlanResponseDto;
export type CatalogLocation = CatalogLocationResponseDto;
export type Quote = QuoteResponseDto;
export type MyInstance = MeInstanceResponseDto;
export type MyAccount = AccountResponseDto;
export type LedgerEntry = LedgerEntryResponseDto;
export type Preferences = PreferencesResponseDto;
export type Settings = SettingsResponseDto;
export type AdminCurrency = CurrencyResponseDto;
export type AdminHypervisor = LocationHypervisorResponseDto;
export type Resources = AdminHypervisor['capacity'];
export type AdminLocation = LocationResponseDto;
export type AdminPlanGroup = PlanGroupResponseDto;
export type AdminPlan = PlanResponseDto;
export type AdminRule = ResourceRuleResponseDto;
export type AdminCounter = MeteredCounterResponseDto;
export type AdminAccount = AccountSummaryResponseDto;
export type CreditResult = AccountCreditResponseDto;
export type SettlementFailure = SettlementFailureResponseDto;
export type UsageReport = UsageReportResponseDto;
export type AutoTopUp = AutoTopUpResponseDto;
export type AdminLedgerPage = AdminLedgerPageResponseDto;
export type AdminLedgerEntry = AdminLedgerPage['entries'][number];
export type CreditGrant = CreditGrantResponseDto;
export type PromoCode = PromoCodeResponseDto;
