import { MoneyFormatError } from '../common/money';
import { formatQuantity, MAX_RULE_QUANTITY, parseQuantity, QUANTITY_DIGITS } from '../common/quantities';
import {
  FieldViolation,
  invalidField,
  invalidInput,
  isMeteringKey,
  METERING_KEY_MAX_LENGTH,
  METERING_KEY_MESSAGE,
} from '../common/validation';

/**
 * Resource key → quantity scaled by 10^6 (common/quantities.ts) as an integer decimal string: `{ ipv4: "2000000" }`
 * is two addresses. What a segment holds (SegmentEntity.quantities) and resource rules bill under their key.
 */
export type ResourceQuantities = Record<string, string>;

/** What the host sends: resource key → exact decimal, a JSON number or a string (`{ "ipv4": 2, "backup": "1.5" }`). */
export type ReportedResources = Record<string, string | number>;

/**
 * An instance holds at most this many resources, and an event names at most this many: 12 keys of at most 64
 * characters with quantities of at most 13 digits fit the 1,000-character column as JSON.
 */
export const MAX_RESOURCE_KEYS = 12;

/**
 * An empty map to fill. It has no prototype: `constructor` is a valid rule key, and a rule reading it from an
 * instance that holds none must find nothing, not Object's constructor.
 */
export const noResources = (): ResourceQuantities => Object.create(null) as ResourceQuantities;

const QUANTITY_RULE = `a non-negative decimal with at most ${QUANTITY_DIGITS} decimal places (e.g. "2" or "0.5")`;

/**
 * The host's report, checked and scaled, in key order. A 400 names each bad entry by its path (`resources.ipv4`) and
 * the rule it broke; 0 stays in, since it removes the key (withReported).
 */
export function parseReportedResources(reported: ReportedResources, field = 'resources'): ResourceQuantities {
  const keys = Object.keys(reported).sort();
  if (keys.length === 0) {
    throw invalidField(field, 'isNotEmpty', `${field} must name at least one resource (a quantity of 0 removes one)`);
  }
  if (keys.length > MAX_RESOURCE_KEYS) {
    throw invalidField(field, 'maxKeys', `${field} must name at most ${MAX_RESOURCE_KEYS} resources`);
  }
  const violations: FieldViolation[] = [];
  const scaled = noResources();
  for (const key of keys) {
    const shown = key.length > METERING_KEY_MAX_LENGTH ? `${key.slice(0, METERING_KEY_MAX_LENGTH)}…` : key;
    const path = `${field}.${shown}`;
    if (!isMeteringKey(key)) {
      const message = `${field} key "${shown}" ${METERING_KEY_MESSAGE}, at most ${METERING_KEY_MAX_LENGTH} characters`;
      violations.push({ field: path, rule: 'isMeteringKey', message });
      continue;
    }
    const quantity = checkedQuantity(reported[key]);
    if (typeof quantity === 'string') violations.push({ field: path, ...ruleBroken(quantity, path) });
    else scaled[key] = quantity.toString();
  }
  if (violations.length > 0) throw invalidInput(violations);
  return scaled;
}

type QuantityRule = 'isQuantity' | 'maxQuantity';

function checkedQuantity(value: unknown): bigint | QuantityRule {
  if (typeof value !== 'string' && typeof value !== 'number') return 'isQuantity';
  try {
    const scaled = parseQuantity(value);
    if (scaled < 0n) return 'isQuantity';
    return scaled > parseQuantity(MAX_RULE_QUANTITY) ? 'maxQuantity' : scaled;
  } catch (error) {
    if (error instanceof MoneyFormatError) return 'isQuantity';
    throw error;
  }
}

function ruleBroken(rule: QuantityRule, path: string): { rule: QuantityRule; message: string } {
  const must = rule === 'isQuantity' ? QUANTITY_RULE : `at most ${MAX_RULE_QUANTITY.toLocaleString('en-US')}`;
  return { rule, message: `${path} must be ${must}` };
}

/** `current` after a report: the keys it names take its quantity (0 removes the key), the others keep theirs. */
export function withReported(current: ResourceQuantities, reported: ResourceQuantities): ResourceQuantities {
  const next = noResources();
  const merged = { ...current, ...reported };
  for (const key of Object.keys(merged).sort()) {
    if (merged[key] !== '0') next[key] = merged[key];
  }
  const held = Object.keys(next).length;
  if (held > MAX_RESOURCE_KEYS) {
    throw invalidField(
      'resources',
      'maxKeys',
      `an instance holds at most ${MAX_RESOURCE_KEYS} resources; this report would leave it with ${held}`,
    );
  }
  return next;
}

/** As JSON, keys in order, so two maps with the same entries give the same text; null when there is none. */
export function resourcesJson(quantities: ResourceQuantities): string | null {
  const keys = Object.keys(quantities).sort();
  if (keys.length === 0) return null;
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, quantities[key]])));
}

/** Resource key → the quantity as the API shows it, an exact decimal string (`{ ipv4: "2" }`). */
export function formatResources(quantities: ResourceQuantities): Record<string, string> {
  return Object.fromEntries(Object.keys(quantities).map((key) => [key, formatQuantity(BigInt(quantities[key]))]));
}
