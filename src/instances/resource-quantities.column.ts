import { noResources, type ResourceQuantities, resourcesJson } from './resource-quantities';

const SCALED_QUANTITY = /^(0|[1-9][0-9]{0,15})$/;

/**
 * Reads a stored map back, refusing what the plugin never writes (a quantity that is not a non-negative integer),
 * so billing never charges for a corrupted row.
 */
function parseStored(raw: string): ResourceQuantities {
  const stored = JSON.parse(raw) as unknown;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new TypeError(`resource quantities ${raw} are not a JSON object`);
  }
  const quantities = noResources();
  for (const [key, value] of Object.entries(stored)) {
    if (typeof value !== 'string' || !SCALED_QUANTITY.test(value)) {
      throw new TypeError(`resource quantity ${JSON.stringify(value)} of "${key}" is not a scaled integer`);
    }
    quantities[key] = value;
  }
  return quantities;
}

/** The column ↔ the map: JSON with its keys in order ↔ the object, NULL ↔ `{}`. */
export const resourceQuantitiesTransformer = {
  to: (value: ResourceQuantities | null | undefined): string | null => (value ? resourcesJson(value) : null),
  from: (raw: string | null | undefined): ResourceQuantities => (raw ? parseStored(raw) : noResources()),
};

/** Resource key → quantity scaled by 10^6 (resource-quantities.ts), as JSON of at most 1,000 characters. */
export const resourceQuantitiesColumn = {
  name: 'quantities',
  type: 'varchar' as const,
  length: 1000,
  nullable: true,
  transformer: resourceQuantitiesTransformer,
};
