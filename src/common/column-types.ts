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

/**
 * Column presets named for what the BIGINT holds, so an entity says what a number means. All three are
 * exact integers read through safeIntegerTransformer; `nullable` and `name` are added where used.
 */
/** Credits in micro-credits (1 credit = 1,000,000), the unit of every price, charge and balance. */
export const microCreditsColumn = { type: 'bigint' as const, transformer: safeIntegerTransformer };
/** An instant as milliseconds since the Unix epoch (UTC), the unit of every time the billing engine computes with. */
export const epochMsColumn = { type: 'bigint' as const, transformer: safeIntegerTransformer };
/** A whole count: seconds billed, nanos per credit, a sequence number. */
export const wholeNumberColumn = { type: 'bigint' as const, transformer: safeIntegerTransformer };

/**
 * Instants: every instant the code computes with (compares, subtracts, keeps to decide on later) is an epoch-ms
 * number named `…Ms`, in whatever column holds it. New columns are epochMsColumn; an older DATETIME column keeps its
 * schema and reads and writes through datetimeAsEpochMsColumn instead. Only record-keeping stamps that nothing
 * computes with (`createdAt`/`updatedAt`, shown to users and admins as they are) stay `Date`.
 */
export const datetimeAsEpochMsTransformer: ValueTransformer = {
  to: (ms: number | null | undefined) => (ms === null || ms === undefined ? ms : new Date(ms)),
  // Both drivers hand a DATETIME back as a Date already; anything else is parsed the way a Date would be.
  from: (value: Date | string | null) => (value === null || value === undefined ? value : new Date(value).getTime()),
};
/** A DATETIME column read as epoch ms. Without a fraction it keeps whole seconds (MySQL rounds, MariaDB truncates). */
export const datetimeAsEpochMsColumn = { type: 'datetime' as const, transformer: datetimeAsEpochMsTransformer };
