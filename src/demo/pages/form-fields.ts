import type { ApiFieldError } from './api-types';

/** A form body as the browser sends it (urlencoded): strings, or arrays of strings for repeated names. */
export type FormBody = Record<string, unknown>;

/**
 * `decimal`: a quantity, sent as typed (like credits, a decimal string). `datetime`: a date and time in UTC (the
 * pages' times are UTC), typed in a datetime-local control and sent as an ISO 8601 instant.
 */
export type FieldKind = 'credits' | 'decimal' | 'integer' | 'text' | 'boolean' | 'select' | 'checkboxes' | 'datetime';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** "2026-03-20T12:00" as typed → "2026-03-20T12:00:00Z"; anything else goes as typed, for the API to name. */
export const utcInstant = (text: string) =>
  LOCAL_DATE_TIME.test(text) ? `${text}${text.length === 16 ? ':00' : ''}Z` : text;

export interface FieldDefinition {
  name: string;
  label: string;
  hint?: string;
  kind: FieldKind;
  required?: boolean;
  /** Leave the field out of the request when it is empty (optional prices, a note). */
  omitWhenEmpty?: boolean;
}

export interface FieldOption {
  value: string;
  label: string;
}

/** Everything the `field` partial reads; every key is present, as strict templates require. */
export interface FieldView {
  id: string;
  name: string;
  label: string;
  hint: string;
  hintId: string;
  errorId: string;
  describedBy: string;
  control: 'input' | 'checkbox' | 'select' | 'checkboxes';
  type: string;
  inputmode: string;
  value: string;
  checked: boolean;
  required: boolean;
  options: (FieldOption & { id: string; selected: boolean })[];
  errors: string[];
}

/** When a value has the wrong type, the range rules the API also lists say nothing more. */
const TYPE_RULES = new Set(['isInt', 'isString', 'isBoolean', 'isNumber', 'isNotEmpty', 'isSignedCreditAmount']);

/** The API's messages for one field, said about the field beside it: "Must be …" rather than "vcpus must be …". */
export function fieldMessages(field: string, errors: ApiFieldError[]): string[] {
  let mine = errors.filter((e) => e.field === field || e.field.startsWith(`${field}.`));
  if (mine.some((e) => TYPE_RULES.has(e.rule))) mine = mine.filter((e) => TYPE_RULES.has(e.rule));
  // A nested field's message starts with its own name: "price must be …" for ranges.1.price.
  const own = field.slice(field.lastIndexOf('.') + 1);
  const messages = mine.map((e) => {
    const name = e.field === field ? [field, own].find((n) => e.message.startsWith(`${n} `)) : undefined;
    const text = name ? e.message.slice(name.length + 1) : e.message;
    return text.charAt(0).toUpperCase() + text.slice(1);
  });
  return [...new Set(messages)];
}

/** The error summary above a form: each problem with the field's label, linking to the field. */
export function errorSummary(prefix: string, definitions: FieldDefinition[], errors: ApiFieldError[]) {
  const known = definitions.filter((d) => errors.some((e) => e.field === d.name || e.field.startsWith(`${d.name}.`)));
  const items = known.flatMap((d) =>
    fieldMessages(d.name, errors).map((message) => ({ href: `#${prefix}-${d.name}`, text: `${d.label}: ${message}` })),
  );
  // A refusal that names no field of the form (or no field at all) is still said.
  const other = errors
    .filter((e) => !definitions.some((d) => e.field === d.name || e.field.startsWith(`${d.name}.`)))
    .map((e) => ({ href: '', text: e.field ? `${e.field}: ${e.message}` : e.message }));
  return [...items, ...other];
}

const INPUT_MODES: Partial<Record<FieldKind, string>> = { credits: 'decimal', decimal: 'decimal', integer: 'numeric' };

/** What the form shows for a value the API gave or the user typed. */
export function formValue(value: unknown): string | string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value === null || value === undefined) return '';
  return String(value);
}

export function fieldView(
  prefix: string,
  definition: FieldDefinition,
  value: string | string[] | boolean,
  errors: ApiFieldError[],
  options: FieldOption[] = [],
): FieldView {
  const id = `${prefix}-${definition.name}`;
  const messages = fieldMessages(definition.name, errors);
  const hint = definition.hint ?? '';
  const describedBy = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  const chosen = new Set(Array.isArray(value) ? value : [String(value)]);
  const control =
    definition.kind === 'boolean'
      ? 'checkbox'
      : definition.kind === 'select'
        ? 'select'
        : definition.kind === 'checkboxes'
          ? 'checkboxes'
          : 'input';
  return {
    id,
    name: definition.name,
    label: definition.label,
    hint,
    hintId: `${id}-hint`,
    errorId: `${id}-error`,
    describedBy,
    control,
    type: definition.kind === 'datetime' ? 'datetime-local' : 'text',
    inputmode: INPUT_MODES[definition.kind] ?? 'text',
    value: typeof value === 'string' ? value : '',
    checked: value === true,
    required: definition.required ?? false,
    options: options.map((option) => ({ ...option, id: `${id}-${option.value}`, selected: chosen.has(option.value) })),
    errors: messages,
  };
}

/** The form's text turned into the JSON the API takes; what cannot be converted goes as typed, for the API to name. */
export function requestBody(definitions: FieldDefinition[], body: FormBody): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  for (const definition of definitions) {
    const raw = body[definition.name];
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (definition.kind === 'boolean') {
      request[definition.name] = raw === 'on' || raw === 'true';
      continue;
    }
    if (definition.kind === 'checkboxes') {
      const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      request[definition.name] = values.map((v) => (typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v));
      continue;
    }
    if (text === '' && definition.omitWhenEmpty) continue;
    if (definition.kind === 'datetime') {
      request[definition.name] = utcInstant(text);
      continue;
    }
    const integer = definition.kind === 'integer' || (definition.kind === 'select' && /^\d{1,10}$/.test(text));
    request[definition.name] = integer && /^-?\d{1,15}$/.test(text) ? Number(text) : text;
  }
  return request;
}

/** What the user typed, to show again beside the errors. */
export function typedValues(
  definitions: FieldDefinition[],
  body: FormBody,
): Record<string, string | string[] | boolean> {
  const values: Record<string, string | string[] | boolean> = {};
  for (const definition of definitions) {
    const raw = body[definition.name];
    if (definition.kind === 'boolean') values[definition.name] = raw === 'on' || raw === 'true';
    else if (definition.kind === 'checkboxes')
      values[definition.name] = raw === undefined ? [] : [formValue(raw)].flat();
    else values[definition.name] = typeof raw === 'string' ? raw : '';
  }
  return values;
}

/** A form as submitted (what was typed) with the API's errors, or null to show the saved state. */
export interface FormState {
  values: Record<string, string | string[] | boolean>;
  errors: ApiFieldError[];
}

/** A form's fields with their values (what was typed, else `initial`) and the API's errors, and its summary. */
export function buildForm(
  prefix: string,
  fields: FieldDefinition[],
  initial: Record<string, unknown>,
  state?: FormState,
) {
  const errors = state?.errors ?? [];
  const value = (definition: FieldDefinition) => {
    if (state) return state.values[definition.name] ?? '';
    const raw = initial[definition.name];
    return typeof raw === 'boolean' ? raw : formValue(raw);
  };
  return {
    fields: fields.map((definition) => ({ definition, value: value(definition) })),
    errors,
    prefix,
    summary: errorSummary(prefix, fields, errors),
  };
}

export function fieldList(
  built: ReturnType<typeof buildForm>,
  options: Record<string, { value: string; label: string }[]> = {},
): FieldView[] {
  return built.fields.map(({ definition, value }) =>
    fieldView(built.prefix, definition, value, built.errors, options[definition.name]),
  );
}
