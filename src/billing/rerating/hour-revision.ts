/** The revision a re-rated hour's new rows get: one past the highest of the rows they replace (0 for none). */
export const nextRevision = (old: readonly { revision: number }[]): number =>
  Math.max(-1, ...old.map((row) => row.revision)) + 1;

/** The same rows in any order, compared by `signature`: a re-rated hour that stands as it was settled. */
export function sameRows<T>(old: readonly T[], rows: readonly T[], signature: (row: T) => string): boolean {
  if (old.length !== rows.length) return false;
  const a = old.map(signature).sort();
  const b = rows.map(signature).sort();
  return a.every((value, i) => value === b[i]);
}
