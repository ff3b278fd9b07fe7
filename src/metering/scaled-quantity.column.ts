import { safeIntegerTransformer } from '../common/column-types';

/** A quantity (units, GB, requests) scaled by 10^6 (common/quantities.ts), exact in a BIGINT. */
export const scaledQuantityColumn = { type: 'bigint' as const, transformer: safeIntegerTransformer };
