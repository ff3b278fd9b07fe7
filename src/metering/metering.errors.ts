import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { isUniqueViolation } from '../common/database';
import { invalidField } from '../common/validation';

export const planNotFound = (planId: number): NotFoundException =>
  new NotFoundException(`plan ${planId} does not exist`);

export const ruleNotFound = (planId: number, ruleId: number): NotFoundException =>
  new NotFoundException(`rule ${ruleId} does not exist on plan ${planId}`);

export const counterNotFound = (id: number): NotFoundException => new NotFoundException(`counter ${id} does not exist`);

/** A retired rule or counter is history: it is read, not changed (create a new one under the same key). */
export const retired = (thing: string, at: number): NotFoundException =>
  new NotFoundException(`${thing} was deleted at ${new Date(at).toISOString()}; create a new one instead`);

export const ruleKeyTaken = (planId: number, key: string): ConflictException =>
  new ConflictException(`plan ${planId} already has a rule with key "${key}"`);

export const counterKeyTaken = (key: string): ConflictException =>
  new ConflictException(`a counter with key "${key}" already exists`);

export const unknownPlans = (ids: number[]): BadRequestException =>
  invalidField('planIds', 'isExistingPlan', `plan(s) ${ids.join(', ')} do not exist`);

/** True when a row names a parent that is not there (on either engine): a plan deleted since it was checked. */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_NO_REFERENCED_ROW_2' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Runs a write whose key may be taken by a concurrent request after the check, or whose plan may be deleted
 * meanwhile: the database refuses both, and the caller's errors say so instead of a 500.
 */
export async function guardedWrite<T>(
  write: () => Promise<T>,
  errors: { keyTaken: () => Error; planGone: () => Error },
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.keyTaken();
    if (isForeignKeyViolation(error)) throw errors.planGone();
    throw error;
  }
}
