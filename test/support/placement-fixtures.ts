import type { TestApp } from './test-app';

/** The size of the plans these tests place: hypervisors are sized in multiples of it. */
export const SLOT = { vcpus: 2, ramMb: 2048, diskGb: 40 };

let sequence = 0;

/** A simulated hypervisor with room for `slots` instances of SLOT (RAM and disk to spare). */
export async function addHypervisor(t: TestApp, id: string, slots: number, online = true): Promise<void> {
  const response = await t
    .as('admin')
    .post('/demo/hypervisors', { id, name: id, vcpus: SLOT.vcpus * slots, ramMb: 1 << 20, diskGb: 100_000, online });
  if (response.status >= 300) throw new Error(`adding ${id}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A location with these members, in this round-robin order. */
export async function createLocation(t: TestApp, name: string, hypervisorIds: string[]): Promise<number> {
  sequence += 1;
  const { body } = await t
    .as('admin')
    .post('/admin/locations', { name, slug: `loc-${sequence}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` })
    .expect(201);
  await t.as('admin').put(`/admin/locations/${body.id}/hypervisors`, { hypervisorIds }).expect(200);
  return body.id;
}

/** A plan of SLOT's size (or `resources`) in a new group, offered in the given locations. */
export async function createOfferedPlan(
  t: TestApp,
  name: string,
  locationIds: number[],
  prices: Record<string, string | null> = { hourlyPrice: '1' },
  resources = SLOT,
): Promise<number> {
  sequence += 1;
  const group = await t
    .as('admin')
    .post('/admin/plan-groups', { name: `Group ${sequence}`, slug: `group-p${sequence}` })
    .expect(201);
  const { body } = await t
    .as('admin')
    .post('/admin/plans', {
      groupId: group.body.id,
      name,
      slug: `plan-p${sequence}`,
      ...resources,
      ...prices,
      locationIds,
    })
    .expect(201);
  return body.id;
}

export function createInstance(t: TestApp, userId: string, planId: number, locationId: number, name = 'vm') {
  return t.as(userId).post('/me/instances', { planId, locationId, name });
}

/** Per member of the location: instances counted by the admin view. */
export async function instanceCounts(t: TestApp, locationId: number): Promise<Record<string, number>> {
  const { body } = await t.as('admin').get(`/admin/locations/${locationId}`).expect(200);
  return Object.fromEntries(
    body.hypervisors.map((h: { hypervisorId: string; instanceCount: number }) => [h.hypervisorId, h.instanceCount]),
  );
}

/**
 * For tests of placement alone: creation asks for no credit beyond a balance of 0 (the old rule), so users without
 * credit can fill a fleet. test/wizard-creation-credit.e2e-spec.ts tests the credit rule.
 */
export async function withoutCreationCredit(t: TestApp): Promise<void> {
  await t.as('admin').patch('/admin/settings', { creationCreditHours: 0 }).expect(200);
}
