import type { Resources } from './capacity';

/** What the plugin has placed on one hypervisor. */
export interface Allocation {
  /** vCPU, RAM and disk held by live instances and by reservations still being provisioned. */
  resources: Resources;
  /** Instances not terminated (running, stopped or suspended). */
  instances: number;
  /** Slots held while the host creates an instance. */
  reservations: number;
}

export const NO_ALLOCATION: Allocation = Object.freeze({
  resources: Object.freeze({ vcpus: 0, ramMb: 0, diskGb: 0 }),
  instances: 0,
  reservations: 0,
});

/**
 * What is placed on every hypervisor, for the fleet view. The placement feature owns the reservations and
 * provides this (see providedAbove); the catalog declares it so that it imports nothing from placement.
 */
export abstract class HypervisorAllocations {
  /** Every hypervisor the plugin has placed something on. */
  abstract all(): Promise<Map<string, Allocation>>;
}
