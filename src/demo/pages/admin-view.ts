import { randomUUID } from 'node:crypto';
import { ACCOUNT_PATH } from './admin-account-view';
import { ACCOUNT_STATUS_FILTERS, CREDIT_FIELDS, PLAN_FIELDS, SETTINGS_FIELDS } from './admin-forms';
import type {
  SettlementFailure,
  AdminAccount,
  AdminCurrency,
  AdminHypervisor,
  AdminLocation,
  AdminPlan,
  AdminPlanGroup,
  Resources,
  Settings,
} from './api-types';
import { buildForm, fieldList, FormState } from './form-fields';
import { accountStatusText, planSpecs } from './format';

/** Everything the admin page shows, as the API answered it. */
export interface AdminData {
  settings: Settings;
  currencies: AdminCurrency[];
  locations: AdminLocation[];
  groups: AdminPlanGroup[];
  plans: AdminPlan[];
  accounts: AdminAccount[];
  failures: SettlementFailure[];
}

export interface AdminForms {
  settings?: FormState;
  plan?: FormState;
  credit?: FormState;
}

export interface AdminQuery {
  status: string;
  saved: string;
  credited: string;
  /** The credit form's reference had been used before: nothing was added. */
  repeated: boolean;
  creditFor: string;
}

function bar(label: string, unit: string, used: number, total: number) {
  const percent = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 100;
  return {
    label,
    text: `${used.toLocaleString('en')} / ${total.toLocaleString('en')} ${unit}`,
    percent,
    level: percent >= 90 ? 'full' : percent >= 70 ? 'warn' : 'ok',
  };
}

function capacityBars(allocated: Resources, capacity: Resources) {
  return [
    bar('vCPU', 'vCPU', allocated.vcpus, capacity.vcpus),
    bar('RAM', 'GB', Math.round(allocated.ramMb / 1024), Math.round(capacity.ramMb / 1024)),
    bar('Disk', 'GB', allocated.diskGb, capacity.diskGb),
  ];
}

function hypervisorState(hypervisor: AdminHypervisor): string {
  if (!hypervisor.online) return 'offline';
  return hypervisor.enabled ? 'running' : 'maintenance';
}

const exampleAmount = (currency: AdminCurrency) =>
  `${currency.prefix}${(12.5).toFixed(currency.decimals)}${currency.suffix}`;

function creditedNotice(account: AdminAccount, repeated: boolean): string {
  const balance = `the balance is ${account.balance.formatted}`;
  return repeated
    ? `That reference was used before, so nothing was added to ${account.userId}; ${balance}.`
    : `Credits added to ${account.userId}; ${balance} now.`;
}

export function adminView(data: AdminData, forms: AdminForms, query: AdminQuery) {
  const locationNames = new Map(data.locations.map((l) => [l.id, l.name]));
  const groupOptions = data.groups.map((g) => ({ value: String(g.id), label: g.name }));
  const locationOptions = data.locations.map((l) => ({ value: String(l.id), label: l.name }));
  const settingsForm = buildForm('settings', SETTINGS_FIELDS, { ...data.settings }, forms.settings);
  const planForm = buildForm(
    'plan',
    PLAN_FIELDS,
    { groupId: groupOptions[0]?.value ?? '', locationIds: [] },
    forms.plan,
  );
  const creditForm = buildForm(
    'credit',
    CREDIT_FIELDS,
    // A fresh reference each time the form is shown: sending the same form twice credits once.
    { userId: query.creditFor, reference: `panel-${randomUUID()}` },
    forms.credit,
  );
  const credited = data.accounts.find((account) => account.userId === query.credited);

  return {
    saved: { settings: query.saved === 'settings', currency: query.saved === 'currency', plan: query.saved === 'plan' },
    settings: { fields: fieldList(settingsForm), errors: settingsForm.summary },
    currencies: data.currencies.map((currency) => ({
      ...currency,
      example: exampleAmount(currency),
      canBeDefault: currency.enabled && !currency.isDefault,
    })),
    locations: data.locations.map((location) => ({
      name: location.name,
      slug: location.slug,
      description: location.description ?? '',
      enabled: location.enabled,
      hypervisors: location.hypervisors.map((hypervisor) => ({
        id: hypervisor.hypervisorId,
        name: hypervisor.name,
        state: hypervisorState(hypervisor),
        instances: hypervisor.instanceCount,
        bars: capacityBars(hypervisor.allocated, hypervisor.capacity),
      })),
    })),
    groups: data.groups.map((group) => ({
      name: group.name,
      slug: group.slug,
      enabled: group.enabled,
      plans: data.plans
        .filter((plan) => plan.groupId === group.id)
        .map((plan) => ({
          id: plan.id,
          name: plan.name,
          slug: plan.slug,
          specs: planSpecs(plan),
          hourly: plan.hourlyPrice ?? '—',
          monthly: plan.monthlyPrice ?? '—',
          locations: plan.locationIds.map((id) => locationNames.get(id) ?? `#${id}`).join(', ') || 'nowhere',
          enabled: plan.enabled,
        })),
    })),
    planForm: {
      fields: fieldList(planForm, { groupId: groupOptions, locationIds: locationOptions }),
      errors: planForm.summary,
    },
    accounts: data.accounts.map((account) => ({
      userId: account.userId,
      balance: account.balance.formatted,
      credits: account.balance.credits,
      status: account.status,
      statusText: accountStatusText(account.status),
      highlight: account.userId === query.credited,
      href: ACCOUNT_PATH(account.userId),
    })),
    statusFilter: ACCOUNT_STATUS_FILTERS.map((option) => ({ ...option, selected: option.value === query.status })),
    filtered: query.status !== '',
    credited: credited ? creditedNotice(credited, query.repeated) : null,
    creditForm: { fields: fieldList(creditForm), errors: creditForm.summary },
    failures: data.failures,
  };
}
