import { bodyShapeViolations, MAX_BODY_DEPTH } from './json-shape';

/** `levels` containers one inside the other, the outermost being the body itself. */
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let level = 1; level < levels; level++) value = { a: value };
  return { a: value };
};

describe('bodyShapeViolations', () => {
  it(`takes ${MAX_BODY_DEPTH} levels and refuses one more, naming the path`, () => {
    expect(bodyShapeViolations(nested(MAX_BODY_DEPTH))).toEqual([]);
    const [violation, ...rest] = bodyShapeViolations(nested(MAX_BODY_DEPTH + 1));
    expect(rest).toEqual([]);
    expect(violation.rule).toBe('maxDepth');
    expect(violation.field.split('.')).toHaveLength(MAX_BODY_DEPTH);
  });

  it('walks a million levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`) as unknown;
    expect(bodyShapeViolations(deep)).toEqual([
      expect.objectContaining({ rule: 'maxDepth', field: '[0]'.repeat(MAX_BODY_DEPTH) }),
    ]);
  });

  it.each([
    ['{"__proto__":{"isAdmin":true}}', '__proto__'],
    ['{"a":[1,{"constructor":{}}]}', 'a[1].constructor'],
    ['[{"b":{"prototype":null}}]', '[0].b.prototype'],
  ])('refuses the prototype key in %s at %s', (json, field) => {
    expect(bodyShapeViolations(JSON.parse(json))).toEqual([
      { field, rule: 'noPrototypeKey', message: expect.stringContaining(field) },
    ]);
  });

  it('passes plain values and ordinary keys, and names at most ten problems', () => {
    expect(bodyShapeViolations({ name: 'x', tags: ['a', { proto: 1 }], n: null })).toEqual([]);
    expect(bodyShapeViolations('text')).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, JSON.parse('{"__proto__":1}')]));
    expect(bodyShapeViolations(many)).toHaveLength(10);
  });
});
