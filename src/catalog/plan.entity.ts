import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CatalogEntryEntity } from './catalog-entry.entity';
import { booleanTransformer, microCreditsColumn } from '../common/column-types';

@Entity('cloud_billing_plan_groups')
export class PlanGroupEntity extends CatalogEntryEntity {}

/** Prices are micro-credits; NULL means "not offered" (hourly, monthly) or "use the default" (stopped, suspended). */
@Entity('cloud_billing_plans')
export class PlanEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Column({ name: 'group_id', type: 'int' })
  groupId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  slug: string;

  @Column({ type: 'int' })
  vcpus: number;

  @Column({ name: 'ram_mb', type: 'int' })
  ramMb: number;

  @Column({ name: 'disk_gb', type: 'int' })
  diskGb: number;

  @Column({ name: 'bandwidth_gb', type: 'int' })
  bandwidthGb: number;

  @Column({ type: 'int' })
  gpus: number;

  @Column({ name: 'hourly_price', ...microCreditsColumn, nullable: true })
  hourlyPrice: number | null;

  @Column({ name: 'monthly_price', ...microCreditsColumn, nullable: true })
  monthlyPrice: number | null;

  /** NULL: a stopped instance costs the running rate. */
  @Column({ name: 'stopped_hourly_price', ...microCreditsColumn, nullable: true })
  stoppedHourlyPrice: number | null;

  /** NULL: a suspended instance costs nothing. */
  @Column({ name: 'suspended_hourly_price', ...microCreditsColumn, nullable: true })
  suspendedHourlyPrice: number | null;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  enabled: boolean;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}

@Entity('cloud_billing_plan_locations')
export class PlanLocationEntity {
  @PrimaryColumn({ name: 'plan_id', type: 'int' })
  planId: number;

  @PrimaryColumn({ name: 'location_id', type: 'int' })
  locationId: number;
}
