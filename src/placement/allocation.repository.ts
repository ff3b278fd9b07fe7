import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Allocation, HypervisorAllocations } from '../catalog/hypervisor-allocations';
import { managerOf, type Tx } from '../common/tx';

interface AllocationRow {
  hypervisorId: string;
  kind: 'instance' | 'reservation';
  count: string | number;
  vcpus: string | number | null;
  ramMb: string | number | null;
  diskGb: string | number | null;
}

/**
 * Live instances hold their plan's resources (a plan edit changes what they hold); reservations
 * hold what they copied. An instance whose plan was deleted still counts, with no resources, since
 * nothing says how large it is any more. mysql2 returns SUM and COUNT as strings, SQLite as numbers.
 */
const ALLOCATION_SQL = (filter: string) => `
  SELECT i.hypervisor_id AS hypervisorId, 'instance' AS kind, COUNT(*) AS count,
         SUM(p.vcpus) AS vcpus, SUM(p.ram_mb) AS ramMb, SUM(p.disk_gb) AS diskGb
    FROM cloud_billing_instances i
    LEFT JOIN cloud_billing_plans p ON p.id = i.plan_id
   WHERE i.state <> 'terminated' AND i.hypervisor_id ${filter}
   GROUP BY i.hypervisor_id
  UNION ALL
  SELECT r.hypervisor_id AS hypervisorId, 'reservation' AS kind, COUNT(*) AS count,
         SUM(r.vcpus) AS vcpus, SUM(r.ram_mb) AS ramMb, SUM(r.disk_gb) AS diskGb
    FROM cloud_billing_placement_reservations r
   WHERE r.hypervisor_id ${filter}
   GROUP BY r.hypervisor_id`;

@Injectable()
export class AllocationRepository implements HypervisorAllocations {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every hypervisor the plugin has placed something on. */
  async all(): Promise<Map<string, Allocation>> {
    return this.collect(await this.dataSource.query(ALLOCATION_SQL('IS NOT NULL')));
  }

  /** The members of one location; the caller's unit of work decides how fresh the figures are. */
  async ofLocation(tx: Tx, locationId: number): Promise<Map<string, Allocation>> {
    const members = 'IN (SELECT h.hypervisor_id FROM cloud_billing_hypervisors h WHERE h.location_id = ?)';
    return this.collect(await managerOf(tx).query(ALLOCATION_SQL(members), [locationId, locationId]));
  }

  /** One hypervisor. */
  async of(tx: Tx, hypervisorId: string): Promise<Map<string, Allocation>> {
    return this.collect(await managerOf(tx).query(ALLOCATION_SQL('= ?'), [hypervisorId, hypervisorId]));
  }

  private collect(rows: AllocationRow[]): Map<string, Allocation> {
    const byHypervisor = new Map<string, Allocation>();
    for (const row of rows) {
      const allocation = byHypervisor.get(row.hypervisorId) ?? {
        resources: { vcpus: 0, ramMb: 0, diskGb: 0 },
        instances: 0,
        reservations: 0,
      };
      allocation.resources.vcpus += Number(row.vcpus ?? 0);
      allocation.resources.ramMb += Number(row.ramMb ?? 0);
      allocation.resources.diskGb += Number(row.diskGb ?? 0);
      if (row.kind === 'instance') allocation.instances += Number(row.count);
      else allocation.reservations += Number(row.count);
      byHypervisor.set(row.hypervisorId, allocation);
    }
    return byHypervisor;
  }
}
