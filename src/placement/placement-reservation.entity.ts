import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMsColumn } from '../common/column-types';

/**
 * A slot held on a hypervisor while the host creates the instance. It counts towards the
 * hypervisor's allocation like a live instance, but billing never sees it: it becomes an
 * instance when the host confirms, and is deleted when the host refuses (or, after a crash,
 * by the sweep). The resources are copied from the plan so an edit to the plan meanwhile
 * cannot change what was reserved.
 */
@Entity('cloud_billing_placement_reservations')
export class PlacementReservationEntity {
  /** The id the instance will have. */
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'plan_id', type: 'int' })
  planId: number;

  @Column({ name: 'location_id', type: 'int' })
  locationId: number;

  @Column({ name: 'hypervisor_id', type: 'varchar', length: 64 })
  hypervisorId: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'int' })
  vcpus: number;

  @Column({ name: 'ram_mb', type: 'int' })
  ramMb: number;

  @Column({ name: 'disk_gb', type: 'int' })
  diskGb: number;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;
}

export const PLACEMENT_ENTITIES = [PlacementReservationEntity];
