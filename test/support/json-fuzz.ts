import fc from 'fast-check';

/**
 * Arbitraries for bodies as JSON text, not as values: JSON.stringify cannot write an own "__proto__" key, and
 * building 5,000 levels as text costs nothing.
 */

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Values a DTO might take, so that some bodies get past validation into the services. */
const PLAUSIBLE = ['1', '2', '0', '-1', 'true', 'false', '"USD"', '"EUR"', '"10"', '"-5"', '"0.01"', '"alice"'];
const PLAUSIBLE_TEXT = ['"hv-a"', '"web-1"', '"2026-03-10T12:00:00Z"', '"started"', '"resized"', '"topup"', '["hv-a"]'];

/** Wrong types, edge numbers and strings no column expects. */
const NASTY = [
  'null',
  '1.5',
  '-0',
  '1e400',
  '-1e400',
  '1e21',
  '9007199254740993',
  '123456789012345678901234567890',
  '""',
  '"   "',
  '"\\u0000"',
  '"\\ud800"',
  '"😀"',
  '"1e3"',
  '"0x10"',
  '[]',
  '{}',
  '[null]',
];

const nested = (open: string, close: string) =>
  fc.integer({ min: 30, max: 5_000 }).map((levels) => `${open.repeat(levels)}1${close.repeat(levels)}`);

const hugeString = fc.constantFrom(1_000, 20_000, 60_000).map((length) => JSON.stringify('x'.repeat(length)));

const prototypeObject = fc.constantFrom(...PROTOTYPE_KEYS).map((key) => `{"${key}":{"isAdmin":true}}`);

const valueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PLAUSIBLE, ...PLAUSIBLE_TEXT) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: nested('[', ']') },
  { weight: 1, arbitrary: nested('{"a":', '}') },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: prototypeObject },
);

const objectText = (keys: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(keys, valueText), { maxLength: 8 })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`);

/**
 * A JSON body for a route whose fields are `fields`: mostly an object of its own fields (some duplicated, some
 * missing) with values of every kind, sometimes unknown or prototype keys, an array, or a body nested thousands deep.
 */
export function bodyText(fields: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 6, arbitrary: fields.length > 0 ? fc.constantFrom(...fields) : fc.constant('id') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: objectText(key) },
    { weight: 1, arbitrary: fc.array(valueText, { maxLength: 3 }).map((items) => `[${items.join(',')}]`) },
    { weight: 1, arbitrary: nested('{"a":', '}') },
  );
}
