import type { HypervisorInfo } from '../host/ports';
import { freeCapacity, NO_RESOURCES, Resources } from './capacity';
import type { Allocation } from './hypervisor-allocations';
import type { HypervisorEntity } from './location.entity';

/** A hypervisor as the catalog sees it: the host's report joined with the plugin's membership row. */
export interface HypervisorView {
  hypervisorId: string;
  name: string;
  /** false when the host does not report it (any more). */
  reported: boolean;
  online: boolean;
  enabled: boolean;
  locationId: number | null;
  position: number;
  capacity: Resources;
  /** What live instances and reservations in progress hold. */
  allocated: Resources;
  free: Resources;
  /** The plugin's instances there that are not terminated. */
  instanceCount: number;
  /** Instances the host is creating there right now. */
  provisioningCount: number;
}

export function hypervisorView(
  info: HypervisorInfo | undefined,
  row: HypervisorEntity | undefined,
  allocation: Allocation,
): HypervisorView {
  const hypervisorId = (info?.id ?? row?.hypervisorId) as string;
  // A member the host stopped reporting cannot take anything: offline, no capacity.
  const capacity = info ? { vcpus: info.vcpus, ramMb: info.ramMb, diskGb: info.diskGb } : { ...NO_RESOURCES };
  return {
    hypervisorId,
    name: info?.name ?? hypervisorId,
    reported: info !== undefined,
    online: info?.online ?? false,
    enabled: row?.enabled ?? true,
    locationId: row?.locationId ?? null,
    position: row?.position ?? 0,
    capacity,
    allocated: { ...allocation.resources },
    free: freeCapacity(capacity, allocation.resources),
    instanceCount: allocation.instances,
    provisioningCount: allocation.reservations,
  };
}
