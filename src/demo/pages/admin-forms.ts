import type { FieldDefinition } from './form-fields';

/** The billing settings, in the order the form shows them; names are the API's. */
export const SETTINGS_FIELDS: FieldDefinition[] = [
  {
    name: 'lowBalanceThreshold',
    label: 'Low balance threshold (credits)',
    hint: 'At or below it, the user gets one “low balance” email per episode.',
    kind: 'credits',
    required: true,
  },
  {
    name: 'negativeBalanceThreshold',
    label: 'Negative balance threshold (credits)',
    hint: 'At most 0 and not above the low balance threshold; at or below it, one more email.',
    kind: 'credits',
    required: true,
  },
  {
    name: 'suspensionThreshold',
    label: 'Suspension threshold (credits)',
    hint: 'Not above the negative balance threshold; below it, all the user’s instances are suspended.',
    kind: 'credits',
    required: true,
  },
  {
    name: 'terminateAfterDaysSuspended',
    label: 'Terminate after days suspended',
    hint: '0 means never.',
    kind: 'integer',
    required: true,
  },
  {
    name: 'billingGranularitySeconds',
    label: 'Billing granularity (seconds)',
    hint: '1 to 3600; 3600 bills every started hour in full.',
    kind: 'integer',
    required: true,
  },
  {
    name: 'runwayWarningHours',
    label: 'Runway warning (hours)',
    hint: 'Warn when the balance will reach the suspension threshold within this many hours; 0 is off.',
    kind: 'integer',
    required: true,
  },
  {
    name: 'lateEventWindowHours',
    label: 'Late event window (hours)',
    hint: 'Host events up to this many hours old are accepted and the hours they touch re-rated (1 to 720).',
    kind: 'integer',
    required: true,
  },
  {
    name: 'creationCreditHours',
    label: 'Credit needed to create (hours)',
    hint: 'Creating needs credit for this many hours of the new server and the user’s others (0 to 720); 0 only refuses a balance below 0.',
    kind: 'integer',
    required: true,
  },
  {
    name: 'timeZone',
    label: 'Billing time zone',
    hint: 'An IANA zone such as Europe/Amsterdam; report months and monthly caps follow it.',
    kind: 'text',
    required: true,
  },
  {
    name: 'allowCreateOnNegativeBalance',
    label: 'Allow creating instances while the balance is negative',
    kind: 'boolean',
  },
  {
    name: 'autoUnsuspend',
    label: 'Resume suspended instances when a top-up brings the balance back',
    kind: 'boolean',
  },
];

export const PLAN_FIELDS: FieldDefinition[] = [
  { name: 'groupId', label: 'Plan group', kind: 'select', required: true },
  { name: 'name', label: 'Name', hint: 'As customers see it, e.g. C4 Compute.', kind: 'text', required: true },
  { name: 'slug', label: 'Slug', hint: 'Lower-case letters, digits and dashes, e.g. c4-compute.', kind: 'text' },
  { name: 'vcpus', label: 'vCPUs', kind: 'integer', required: true },
  { name: 'ramMb', label: 'RAM (MB)', kind: 'integer', required: true },
  { name: 'diskGb', label: 'Disk (GB)', kind: 'integer', required: true },
  { name: 'gpus', label: 'GPUs', kind: 'integer', omitWhenEmpty: true },
  {
    name: 'hourlyPrice',
    label: 'Hourly price (credits)',
    hint: 'Leave empty for a monthly-only plan.',
    kind: 'credits',
    omitWhenEmpty: true,
  },
  {
    name: 'monthlyPrice',
    label: 'Monthly price (credits)',
    hint: 'With an hourly price, it caps the month.',
    kind: 'credits',
    omitWhenEmpty: true,
  },
  { name: 'locationIds', label: 'Offered in', kind: 'checkboxes' },
];

export const CREDIT_FIELDS: FieldDefinition[] = [
  { name: 'userId', label: 'User id', kind: 'text', required: true },
  {
    name: 'amount',
    label: 'Credits to add',
    hint: 'In credits, e.g. 500.',
    kind: 'credits',
    required: true,
  },
  {
    name: 'reference',
    label: 'Reference',
    hint: 'The payment id; the same reference never credits twice.',
    kind: 'text',
    required: true,
  },
  { name: 'note', label: 'Note', hint: 'Optional, shown in the ledger.', kind: 'text', omitWhenEmpty: true },
];

export const ACCOUNT_STATUS_FILTERS = [
  { value: '', label: 'All accounts' },
  { value: 'ok', label: 'OK' },
  { value: 'low', label: 'Low' },
  { value: 'negative', label: 'Negative' },
  { value: 'suspended', label: 'Suspended' },
  { value: 'no_credit', label: 'No credit yet' },
];
