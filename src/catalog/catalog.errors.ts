import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { isUniqueViolation } from '../common/database';
import { invalidField } from '../common/validation';
import type { CatalogDependents } from './catalog-usage';

type CatalogThing = 'location' | 'plan group' | 'plan' | 'hypervisor';

export const notFound = (thing: CatalogThing, id: number | string): NotFoundException =>
  new NotFoundException(`${thing} ${id} does not exist`);

export const slugTaken = (thing: CatalogThing, slug: string): ConflictException =>
  new ConflictException(`a ${thing} with slug "${slug}" already exists`);

export const duplicateHypervisors = (ids: string[]): BadRequestException =>
  invalidField('hypervisorIds', 'arrayUnique', `lists ${ids.join(', ')} more than once`);

export const unknownHypervisors = (ids: string[]): BadRequestException =>
  invalidField('hypervisorIds', 'isKnownHypervisor', `the host does not report ${ids.join(', ')}`);

export const hypervisorsTaken = (taken: { hypervisorId: string; location: string }[]): ConflictException =>
  new ConflictException(
    `${taken.map((t) => `hypervisor ${t.hypervisorId} already belongs to ${t.location}`).join('; ')}; ` +
      'remove it there first, since a hypervisor belongs to at most one location',
  );

export const groupHasPlans = (groupId: number, count: number): ConflictException =>
  new ConflictException(`plan group ${groupId} still has ${count} plan(s); move or delete them first`);

/** How many instances a refusal names; the count says how many more there are. */
export const NAMED_DEPENDENTS = 3;

export const usedByInstances = (thing: 'plan' | 'location', id: number, used: CatalogDependents): ConflictException => {
  const more = used.count > used.sampleIds.length ? ', …' : '';
  const instances = `${used.count} instance${used.count === 1 ? '' : 's'} (${used.sampleIds.join(', ')}${more})`;
  return new ConflictException(`${thing} ${id} is used by ${instances}; disable it instead`);
};

export const unknownGroup = (groupId: number): BadRequestException =>
  invalidField('groupId', 'isExistingPlanGroup', `plan group ${groupId} does not exist`);

export const unknownLocations = (ids: number[]): BadRequestException =>
  invalidField('locationIds', 'isExistingLocation', `location(s) ${ids.join(', ')} do not exist`);

export const planWithoutPrice = (): BadRequestException =>
  invalidField('hourlyPrice', 'hasPrice', 'a plan needs an hourly price, a monthly price or both');

/** Runs a write that may hit the slug's unique index, e.g. when another request took the slug since we checked. */
export async function withUniqueSlug<T>(thing: CatalogThing, slug: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(thing, slug);
    throw error;
  }
}
