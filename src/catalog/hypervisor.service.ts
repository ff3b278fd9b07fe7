import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HYPERVISOR_INVENTORY } from '../cloud-billing.constants';
import { providedAbove } from '../common/provided-above';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import type { HypervisorInfo, HypervisorInventory } from '../host/ports';
import { freeCapacity, NO_RESOURCES, Resources } from './capacity';
import { notFound } from './catalog.errors';
import { Allocation, HypervisorAllocations, NO_ALLOCATION } from './hypervisor-allocations';
import type { HypervisorEntity } from './location.entity';
import { HypervisorRepository } from './hypervisor.repository';

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

@Injectable()
export class HypervisorService {
  constructor(
    @Inject(HYPERVISOR_INVENTORY) private readonly inventory: HypervisorInventory,
    private readonly repository: HypervisorRepository,
    private readonly moduleRef: ModuleRef,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** Every hypervisor the host reports plus every one the plugin still has a row for. */
  async fleet(): Promise<HypervisorView[]> {
    const [reported, rows, allocations] = await Promise.all([
      this.inventory.listHypervisors(),
      this.repository.list(),
      providedAbove(this.moduleRef, HypervisorAllocations).all(),
    ]);
    const rowsById = new Map(rows.map((row) => [row.hypervisorId, row]));
    const reportedIds = new Set(reported.map((info) => info.id));
    const allocation = (id: string) => allocations.get(id) ?? NO_ALLOCATION;
    return [
      ...reported.map((info) => hypervisorView(info, rowsById.get(info.id), allocation(info.id))),
      ...rows
        .filter((row) => !reportedIds.has(row.hypervisorId))
        .map((row) => hypervisorView(undefined, row, allocation(row.hypervisorId))),
    ];
  }

  /** What the host reports, in the host's order, with each one's location membership. */
  async list(): Promise<HypervisorView[]> {
    return (await this.fleet()).filter((view) => view.reported);
  }

  async reportedIds(): Promise<Set<string>> {
    return new Set((await this.inventory.listHypervisors()).map((info) => info.id));
  }

  async setEnabled(hypervisorId: string, enabled: boolean): Promise<HypervisorView> {
    if (!(await this.reportedIds()).has(hypervisorId)) throw notFound('hypervisor', hypervisorId);
    await this.unitOfWork.run((tx) => this.repository.setEnabled(tx, hypervisorId, enabled), {
      isolation: Isolation.LockedWrites,
    });
    const view = (await this.list()).find((v) => v.hypervisorId === hypervisorId);
    // The host dropped it between the two reads.
    if (!view) throw notFound('hypervisor', hypervisorId);
    return view;
  }
}
