/** The resources placement counts on a hypervisor. GPUs and bandwidth are not part of the host's inventory. */
export interface Resources {
  vcpus: number;
  ramMb: number;
  diskGb: number;
}

export const NO_RESOURCES: Resources = Object.freeze({ vcpus: 0, ramMb: 0, diskGb: 0 });

/**
 * What is left on a hypervisor once its instances are counted. A host that
 * shrank below what is placed on it has nothing free, not a negative amount.
 */
export function freeCapacity(capacity: Resources, allocated: Resources): Resources {
  return {
    vcpus: Math.max(0, capacity.vcpus - allocated.vcpus),
    ramMb: Math.max(0, capacity.ramMb - allocated.ramMb),
    diskGb: Math.max(0, capacity.diskGb - allocated.diskGb),
  };
}

/** True when a plan's vCPU, RAM and disk all fit in what is free. */
export function fits(free: Resources, plan: Resources): boolean {
  return free.vcpus >= plan.vcpus && free.ramMb >= plan.ramMb && free.diskGb >= plan.diskGb;
}
