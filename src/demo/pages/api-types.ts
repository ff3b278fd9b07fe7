/**
 * The shapes the pages read from the plugin's HTTP API (see /docs-json on a running demo). Only the fields a
 * page shows are listed: the pages are a host consuming the public API, not the plugin's internals.
 */
export interface Money {
  credits: string;
  amount: string;
  currency: string;
  formatted: string;
}

export interface ApiFieldError {
  field: string;
  rule: string;
  message: string;
}

export interface PlanGroup {
  id: number;
  name: string;
  slug: string;
  description: string | null;
}

export interface CatalogPlan {
  id: number;
  groupId: number;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  gpus: number;
  hourlyPrice: Money | null;
  monthlyPrice: Money | null;
  locationIds: number[];
}

export interface CatalogLocation {
  id: number;
  name: string;
  description: string | null;
  hasCapacity: boolean;
}

export interface Quote {
  hourly: Money;
  daily: Money;
  monthly: Money;
  monthlyCap: Money | null;
  balance: Money;
  balanceAfterFirstHour: Money;
  canCreate: boolean;
  reason: string | null;
}

export interface MyInstance {
  id: string;
  name: string;
  planId: number;
  plan: string | null;
  locationId: number | null;
  location: string | null;
  state: string;
  createdAt: string;
  terminatedAt: string | null;
}

export type AccountStatus = 'ok' | 'low' | 'negative' | 'suspended';

export interface MyAccount {
  balance: Money;
  status: AccountStatus;
  currency: string;
}

export interface LedgerEntry {
  id: number;
  kind: string;
  amount: Money;
  balanceAfter: Money;
  reference: string | null;
  note: string | null;
  createdAt: string;
}

export interface Preferences {
  currency: string;
  preferredCurrency: string | null;
}

export interface Settings {
  lowBalanceThreshold: string;
  negativeBalanceThreshold: string;
  suspensionThreshold: string;
  allowCreateOnNegativeBalance: boolean;
  autoUnsuspend: boolean;
  terminateAfterDaysSuspended: number;
  billingGranularitySeconds: number;
  timeZone: string;
  runwayWarningHours: number;
}

export interface AdminCurrency {
  code: string;
  name: string;
  valuePerCredit: string;
  prefix: string;
  suffix: string;
  decimals: number;
  enabled: boolean;
  isDefault: boolean;
}

export interface Resources {
  vcpus: number;
  ramMb: number;
  diskGb: number;
}

export interface AdminHypervisor {
  hypervisorId: string;
  name: string;
  enabled: boolean;
  online: boolean;
  capacity: Resources;
  allocated: Resources;
  instanceCount: number;
}

export interface AdminLocation {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  enabled: boolean;
  hypervisors: AdminHypervisor[];
}

export interface AdminPlanGroup {
  id: number;
  name: string;
  slug: string;
  enabled: boolean;
}

export interface AdminPlan {
  id: number;
  groupId: number;
  name: string;
  slug: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  gpus: number;
  hourlyPrice: string | null;
  monthlyPrice: string | null;
  locationIds: number[];
  enabled: boolean;
}

export interface AdminAccount {
  userId: string;
  balance: Money;
  status: AccountStatus;
}

export interface CreditResult {
  balance: Money;
  created: boolean;
}
