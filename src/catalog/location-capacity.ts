import { fits } from './capacity';
import type { HypervisorView } from './hypervisor-view';
import type { PlanEntity } from './plan.entity';

/** True when some enabled, online member of the location could take the plan (or anything, without a plan). */
export function hasCapacity(locationId: number, fleet: HypervisorView[], plan: PlanEntity | null): boolean {
  return fleet.some(
    (hypervisor) =>
      hypervisor.locationId === locationId &&
      hypervisor.enabled &&
      hypervisor.online &&
      (plan === null || fits(hypervisor.free, plan)),
  );
}
