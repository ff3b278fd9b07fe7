import type { FieldViolation } from './validation';

/** No body here nests anywhere near this; deeper ones are refused before class-transformer recurses into them. */
export const MAX_BODY_DEPTH = 32;

/** Keys that reach an object's prototype once copied onto another object: never a field, always refused. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A 100 kB body can hold thousands of bad keys: name the first few, enough to fix the sender. */
const MAX_REPORTED = 10;

const childPath = (parent: string, key: string | number): string => {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
};

interface Node {
  value: unknown;
  path: string;
  depth: number;
}

/**
 * What is wrong with the shape of a parsed JSON body: nesting deeper than MAX_BODY_DEPTH, or a prototype key at any
 * depth, each with the path that leads to it. Walks breadth first with a queue of its own rather than recursing, so
 * a body 100,000 levels deep costs one pass over its nodes and never the call stack.
 */
export function bodyShapeViolations(body: unknown): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const queue: Node[] = [{ value: body, path: '', depth: 1 }];
  for (let next = 0; next < queue.length && violations.length < MAX_REPORTED; next++) {
    const { value, path, depth } = queue[next];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      const message = `${path} nests deeper than ${MAX_BODY_DEPTH} levels`;
      violations.push({ field: path, rule: 'maxDepth', message });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    for (const [key, child] of entries) {
      const keyPath = childPath(path, key);
      if (typeof key === 'string' && PROTOTYPE_KEYS.has(key)) {
        const message = `${keyPath}: "${key}" is not allowed as a key`;
        violations.push({ field: keyPath, rule: 'noPrototypeKey', message });
      } else {
        queue.push({ value: child, path: keyPath, depth: depth + 1 });
      }
    }
  }
  return violations.slice(0, MAX_REPORTED);
}
