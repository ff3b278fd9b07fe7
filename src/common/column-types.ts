import { ValueTransformer } from 'typeorm';

/**
 * mysql2 hands BIGINT back as a string and SQLite as a number; both become a
 * JS number here, and a value that a number cannot hold exactly is refused
 * rather than silently rounded.
 */
export const safeIntegerTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => {
    if (value === null || value === undefined) return value;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(parsed) || (typeof value === 'string' && String(parsed) !== value.trim())) {
      throw new RangeError(`BIGINT value ${value} is not a safe integer`);
    }
    return parsed;
  },
};

/** Booleans come back as 0/1 from both engines. */
export const booleanTransformer: ValueTransformer = {
  to: (value: boolean | null | undefined) => value,
  from: (value: number | boolean | null) => (value === null ? null : Boolean(value)),
};
