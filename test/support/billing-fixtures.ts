import type request from 'supertest';
import { DemoClock } from '../../src/demo/demo-clock';
import type { TestApp } from './test-app';

let sequence = 0;

export interface PlanPrices {
  hourlyPrice?: string | null;
  monthlyPrice?: string | null;
  stoppedHourlyPrice?: string | null;
  suspendedHourlyPrice?: string | null;
}

/** A plan group with one plan at the given prices; returns the plan id. */
export async function createPlan(
  t: TestApp,
  prices: PlanPrices,
  resources = { vcpus: 2, ramMb: 2048, diskGb: 40 },
): Promise<number> {
  sequence += 1;
  const group = await t
    .as('admin')
    .post('/admin/plan-groups', { name: `Group ${sequence}`, slug: `group-${sequence}` })
    .expect(201);
  const plan = await t
    .as('admin')
    .post('/admin/plans', {
      groupId: group.body.id,
      name: `Plan ${sequence}`,
      slug: `plan-${sequence}`,
      ...resources,
      ...prices,
    })
    .expect(201);
  return plan.body.id;
}

export async function registerInstance(
  t: TestApp,
  id: string,
  userId: string,
  planId: number,
  at: string,
): Promise<request.Response> {
  return t.as('admin').post('/host/instances', { id, userId, planId, name: id, at }).expect(201);
}

export function sendEvent(t: TestApp, id: string, type: string, at: string, planId?: number) {
  return t.as('admin').post(`/host/instances/${id}/events`, { type, at, ...(planId ? { planId } : {}) });
}

export function topUp(t: TestApp, userId: string, amount: string, reference: string) {
  return t.as('admin').post(`/admin/accounts/${userId}/credits`, { amount, reference });
}

/** Moves the demo clock, which runs billing for the new time as the hourly job would; returns what it ran. */
export async function setClock(t: TestApp, now: string): Promise<request.Response> {
  return t.as('admin').post('/demo/clock', { now }).expect(200);
}

/** Moves the clock without running anything, as if the scheduler had been down. */
export function stopTheWorldAt(t: TestApp, now: string): void {
  t.app.get(DemoClock).set(new Date(now));
}

export async function balanceOf(t: TestApp, userId: string): Promise<string> {
  return (await t.as(userId).get('/me/account').expect(200)).body.balance.credits;
}
