import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { epochMsColumn } from '../common/column-types';
import { resourceQuantitiesColumn } from './resource-quantities.column';
import type { ResourceQuantities } from './resource-quantities';

export type InstanceState = 'running' | 'stopped' | 'suspended' | 'terminated';
export type InstanceEventType =
  'created' | 'started' | 'stopped' | 'suspended' | 'resumed' | 'resized' | 'resources' | 'terminated';

/**
 * An instance the plugin bills. Times are epoch milliseconds in BIGINT columns
 * so both engines compare and index them the same way, to the millisecond.
 */
@Entity('cloud_billing_instances')
export class InstanceEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ name: 'plan_id', type: 'int' })
  planId: number;

  @Column({ name: 'location_id', type: 'int', nullable: true })
  locationId: number | null;

  @Column({ name: 'hypervisor_id', type: 'varchar', length: 64, nullable: true })
  hypervisorId: string | null;

  @Column({ type: 'varchar', length: 16 })
  state: InstanceState;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;

  @Column({ name: 'terminated_at_ms', ...epochMsColumn, nullable: true })
  terminatedAtMs: number | null;

  /** The time of the last event applied; events before it are out of order. */
  @Column({ name: 'last_event_at_ms', ...epochMsColumn })
  lastEventAtMs: number;

  /** Every hour before this instant is settled; the next hour to settle starts here. */
  @Column({ name: 'settled_until_ms', ...epochMsColumn })
  settledUntilMs: number;

  /** Set when thresholds suspended it, so a top-up resumes only what billing suspended. */
  @Column({ name: 'billing_suspended_at_ms', ...epochMsColumn, nullable: true })
  billingSuspendedAtMs: number | null;
}

/** A stretch of an instance's life in one state on one plan; the open one has no end. */
@Entity('cloud_billing_instance_segments')
export class SegmentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @Column({ name: 'plan_id', type: 'int' })
  planId: number;

  @Column({ type: 'varchar', length: 16 })
  state: Exclude<InstanceState, 'terminated'>;

  @Column({ name: 'started_at_ms', ...epochMsColumn })
  startedAtMs: number;

  @Column({ name: 'ended_at_ms', ...epochMsColumn, nullable: true })
  endedAtMs: number | null;

  /**
   * The resources the instance held while the segment lasted, as the host reported them: key → quantity scaled by
   * 10^6, an integer decimal string (`{ ipv4: "2000000" }`); `{}` when none. Resource rules bill under their key.
   */
  @Column(resourceQuantitiesColumn)
  quantities: ResourceQuantities;
}

/** Each event the host reported, once: a unique key makes a resent event a no-op. */
@Entity('cloud_billing_instance_events')
export class InstanceEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @Column({ type: 'varchar', length: 16 })
  type: InstanceEventType;

  @Column({ name: 'at_ms', ...epochMsColumn })
  atMs: number;

  @Column({ name: 'plan_id', type: 'int', nullable: true })
  planId: number | null;

  /** What a "resources" event (or a registration) reported, 0 for a key it removed; `{}` for other events. */
  @Column(resourceQuantitiesColumn)
  quantities: ResourceQuantities;
}

export const INSTANCE_ENTITIES = [InstanceEntity, SegmentEntity, InstanceEventEntity];
