import type { Resources } from '../catalog/capacity';

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
