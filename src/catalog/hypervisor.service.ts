import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HYPERVISOR_INVENTORY } from '../cloud-billing.constants';
import { providedAbove } from '../common/provided-above';
import { Isolation, UnitOfWork } from '../common/unit-of-work';
import type { HypervisorInventory } from '../host/ports';
import { notFound } from './catalog.errors';
import { HypervisorAllocations, NO_ALLOCATION } from './hypervisor-allocations';
import { HypervisorRepository } from './hypervisor.repository';
import { hypervisorView, type HypervisorView } from './hypervisor-view';

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
