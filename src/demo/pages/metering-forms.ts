import type { FieldDefinition, FieldOption, FormBody } from './form-fields';
import { requestBody } from './form-fields';

/** A resource rule of a plan, in the order the form shows it; names are the API's. */
/** The name people see and the key the host reports under, with an example of each. */
const nameAndKey = (name: string, reports: string, key: string): FieldDefinition[] => [
  { name: 'name', label: 'Name', hint: `As customers see it, e.g. ${name}.`, kind: 'text', required: true },
  {
    name: 'key',
    label: 'Key',
    hint: `What the host reports ${reports} under: lower-case letters, digits and dashes, e.g. ${key}.`,
    kind: 'text',
    required: true,
  },
];

export const RULE_FIELDS: FieldDefinition[] = [
  ...nameAndKey('IPv4 address', 'quantities', 'ipv4'),
  { name: 'unit', label: 'Unit', hint: 'What one unit is called, e.g. address or GB.', kind: 'text', required: true },
  {
    name: 'price',
    label: 'Price (credits)',
    hint: 'For one unit for one period; a one-off: for one unit, once.',
    kind: 'credits',
    required: true,
  },
  {
    name: 'periodSeconds',
    label: 'Period (seconds)',
    hint: '3600 an hour, 86400 a day, 2592000 30 days; 0 charges once, when the instance is created.',
    kind: 'integer',
    required: true,
  },
  {
    name: 'kind',
    label: 'Charged',
    hint: 'Postpaid: for the time used, with the hour. Prepaid: at the start of each period.',
    kind: 'select',
    required: true,
  },
  {
    name: 'quantitySource',
    label: 'Quantity',
    hint: 'Fixed: the units per instance beside. Reported: what the host reports under the key.',
    kind: 'select',
    required: true,
  },
  {
    name: 'fixedQuantity',
    label: 'Units per instance',
    hint: 'With a fixed quantity, e.g. 1; empty when the host reports it.',
    kind: 'decimal',
    omitWhenEmpty: true,
  },
  { name: 'on', label: 'Bills while', hint: 'The instance states it bills in.', kind: 'checkboxes' },
  { name: 'except', label: 'Bill in every state except those ticked', kind: 'boolean' },
];

export const RULE_OPTIONS: Record<string, FieldOption[]> = {
  kind: [
    { value: 'postpaid', label: 'Postpaid, with each hour' },
    { value: 'prepaid', label: 'Prepaid, each period' },
  ],
  quantitySource: [
    { value: 'fixed', label: 'Fixed, per instance' },
    { value: 'reported', label: 'Reported by the host' },
  ],
  on: ['running', 'stopped', 'suspended', 'terminated'].map((state) => ({
    value: state,
    label: state.charAt(0).toUpperCase() + state.slice(1),
  })),
};

/** What a new rule's form starts with: NoCloud's usual rule, one unit every 30 days in every live state. */
export const NEW_RULE = {
  periodSeconds: 2_592_000,
  kind: 'postpaid',
  quantitySource: 'fixed',
  fixedQuantity: '1',
  on: ['terminated'],
  except: true,
};

export const COUNTER_FIELDS: FieldDefinition[] = [
  ...nameAndKey('Outgoing traffic', 'usage', 'traffic-out'),
  {
    name: 'unitName',
    label: 'Unit',
    hint: 'What usage is reported in, e.g. GB or requests.',
    kind: 'text',
    required: true,
  },
  {
    name: 'measurementUnit',
    label: 'Priced per',
    hint: 'How many units one price is for: 1 (per GB), 1000000 (per million requests).',
    kind: 'decimal',
    required: true,
  },
  { name: 'planIds', label: 'Plans', hint: 'None ticked: every plan, also plans added later.', kind: 'checkboxes' },
];

/** The range rows are not a field of the partial; named here so the error summary links to them. */
export const RANGES_FIELD: FieldDefinition = { name: 'ranges', label: 'Price ranges', kind: 'text' };

export interface RangeRow {
  from: string;
  price: string;
}

/** A repeated form field: one value, several, or (past 20, as Express's form parser gives them) an indexed object. */
function repeated(raw: unknown): string[] {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  if (Array.isArray(raw)) return raw.map(text);
  if (raw !== null && typeof raw === 'object') {
    return Object.entries(raw)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, value]) => text(value));
  }
  return raw === undefined ? [] : [text(raw)];
}

/** The range rows as typed, blank ones included (`rangeFrom` and `rangePrice`, one of each a row). */
export function typedRangeRows(body: FormBody): RangeRow[] {
  const froms = repeated(body.rangeFrom);
  const prices = repeated(body.rangePrice);
  return Array.from({ length: Math.max(froms.length, prices.length) }, (_, index) => ({
    from: froms[index] ?? '',
    price: prices[index] ?? '',
  }));
}

/** The rows that say something, in order: what is sent, so the API's `ranges.<n>` is the n-th row shown again. */
export const filledRangeRows = (rows: RangeRow[]): RangeRow[] => rows.filter((row) => row.from || row.price);

/** The counter as the API takes it: rows as typed (the API names what is wrong), no plan ticked meaning every plan. */
export function counterRequest(body: FormBody): Record<string, unknown> {
  const request = requestBody(COUNTER_FIELDS, body);
  const planIds = request.planIds as unknown[];
  return {
    ...request,
    planIds: planIds.length ? planIds : null,
    ranges: filledRangeRows(typedRangeRows(body)),
  };
}
