import { perPeriod } from '../../wizard/metered-lines';
import type { AdminCounter, AdminPlan, AdminRule } from './api-types';
import { buildForm, errorSummary, fieldList, fieldMessages, FormState } from './form-fields';
import { COUNTER_FIELDS, NEW_RULE, RANGES_FIELD, RangeRow, RULE_FIELDS, RULE_OPTIONS } from './metering-forms';

export const RULES_PATH = (planId: number) => `/panel/admin/plans/${planId}/rules`;
export const COUNTERS_PATH = '/panel/admin/counters';

/** After a save: `?saved=created|updated|deleted`, said as a sentence about the thing. */
export type SavedAction = 'created' | 'updated' | 'deleted';
const SAVED: Record<SavedAction, string> = {
  created: 'added',
  updated: 'saved',
  deleted: 'deleted: it bills nothing from now on, and the hours it billed keep its name',
};
export const savedAction = (value: unknown): SavedAction | null =>
  typeof value === 'string' && value in SAVED ? (value as SavedAction) : null;

export interface MeteringQuery {
  saved: SavedAction | null;
  /** The rule or counter whose form is open for changes; null: the form adds a new one. */
  editId: number | null;
}

function savedNotice(thing: string, saved: SavedAction | null): string | null {
  return saved ? `${thing} ${SAVED[saved]}.` : null;
}

/**
 * What the form of a rule or counter says and where it posts: adding one at `path`, or changing the one open
 * (then also a delete button, which asks first, and a way back to adding).
 */
function formFrame(thing: 'rule' | 'counter', path: string, editing: { id: number; name: string } | null) {
  const anchor = `#${thing}-form`;
  if (!editing) {
    return {
      heading: `Add a ${thing}`,
      action: `${path}${anchor}`,
      submit: `Add ${thing}`,
      cancelHref: null,
      remove: null,
    };
  }
  return {
    heading: `Change ${editing.name}`,
    action: `${path}/${editing.id}${anchor}`,
    submit: `Save ${thing}`,
    cancelHref: `${path}${anchor}`,
    remove: {
      action: `${path}/${editing.id}/delete`,
      label: `Delete ${thing}`,
      confirm: `Delete ${editing.name}? It stops billing now; the hours it billed keep its name.`,
    },
  };
}

const statesText = (rule: AdminRule) => (rule.except ? `all but ${rule.on.join(', ')}` : rule.on.join(', '));

/** /panel/admin/plans/:planId/rules: the plan's live rules, and the form to add one or change the one opened. */
export function rulesView(plan: AdminPlan, rules: AdminRule[], query: MeteringQuery, state?: FormState) {
  const path = RULES_PATH(plan.id);
  const editing = rules.find((rule) => rule.id === query.editId) ?? null;
  const initial = editing ? { ...editing } : NEW_RULE;
  const built = buildForm('rule', RULE_FIELDS, initial, state);
  return {
    plan: { id: plan.id, name: plan.name },
    saved: savedNotice('Rule', query.saved),
    rules: rules.map((rule) => ({
      id: rule.id,
      key: rule.key,
      name: rule.name,
      price: `${rule.price} ${rule.periodSeconds === 0 ? 'once, at creation' : perPeriod(rule.periodSeconds)}`,
      kind: rule.periodSeconds === 0 ? 'one-off' : rule.kind,
      quantity: rule.fixedQuantity === null ? `reported (${rule.unit})` : `${rule.fixedQuantity} ${rule.unit}`,
      states: statesText(rule),
      editHref: `${path}?edit=${rule.id}#rule-form`,
      editing: rule.id === editing?.id,
    })),
    form: { ...formFrame('rule', path, editing), fields: fieldList(built, RULE_OPTIONS), errors: built.summary },
  };
}

/** A counter's form as submitted: the fields, and its range rows as typed. */
export interface CounterFormState extends FormState {
  rows: RangeRow[];
}

function rangeRowsView(rows: RangeRow[], state?: CounterFormState) {
  const errors = state?.errors ?? [];
  // One blank row to type a further range into; "Add a price range" brings more.
  return [...rows, { from: '', price: '' }].map((row, index) => {
    const fromErrors = fieldMessages(`ranges.${index}.from`, errors);
    const priceErrors = fieldMessages(`ranges.${index}.price`, errors);
    return {
      ...row,
      number: index + 1,
      fromId: `counter-range-${index}-from`,
      priceId: `counter-range-${index}-price`,
      errors: [...fromErrors.map((m) => `From: ${m}`), ...priceErrors.map((m) => `Price: ${m}`)],
      errorId: `counter-range-${index}-error`,
    };
  });
}

const rangesText = (counter: AdminCounter) =>
  counter.ranges.map((range) => `from ${range.from}: ${range.price}`).join(' · ');

/** /panel/admin/counters: the live counters, and the form to add one or change the one opened. */
export function countersView(
  counters: AdminCounter[],
  plans: AdminPlan[],
  query: MeteringQuery,
  state?: CounterFormState,
) {
  const planNames = new Map(plans.map((plan) => [plan.id, plan.name]));
  const editing = counters.find((counter) => counter.id === query.editId) ?? null;
  const initial = editing ? { ...editing, planIds: editing.planIds ?? [] } : { measurementUnit: '1', planIds: [] };
  const built = buildForm('counter', COUNTER_FIELDS, initial, state);
  const rows = state?.rows ?? editing?.ranges ?? [{ from: '0', price: '' }];
  const planOptions = plans.map((plan) => ({ value: String(plan.id), label: plan.name }));
  return {
    saved: savedNotice('Counter', query.saved),
    counters: counters.map((counter) => ({
      id: counter.id,
      key: counter.key,
      name: counter.name,
      unit: `per ${counter.measurementUnit === '1' ? '' : `${counter.measurementUnit} `}${counter.unitName}`,
      ranges: rangesText(counter),
      plans: counter.planIds?.map((id) => planNames.get(id) ?? `#${id}`).join(', ') ?? 'every plan',
      editHref: `${COUNTERS_PATH}?edit=${counter.id}#counter-form`,
      editing: counter.id === editing?.id,
    })),
    form: {
      ...formFrame('counter', COUNTERS_PATH, editing),
      fields: fieldList(built, { planIds: planOptions }),
      rangeRows: rangeRowsView(rows, state),
      rangeErrors: fieldMessages(
        RANGES_FIELD.name,
        (state?.errors ?? []).filter((e) => e.field === 'ranges'),
      ),
      errors: errorSummary('counter', [...COUNTER_FIELDS, RANGES_FIELD], state?.errors ?? []),
    },
  };
}
