/** The fields of a DTO that were actually sent (class-transformer leaves the others as undefined keys). */
export function definedFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as Partial<T>;
}
