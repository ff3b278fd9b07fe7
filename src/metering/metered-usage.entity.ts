import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { booleanTransformer, epochMsColumn, microCreditsColumn } from '../common/column-types';
import { scaledQuantityColumn } from './scaled-quantity.column';

/**
 * One usage report of the host, stored once under the host's own id (`reportId`, a unique index). `quantity` is
 * what it adds to its counter, scaled by 10^6: the quantity reported, or for a cumulative reading its difference
 * from the previous reading (README, "Usage the host reports"). Settlement fills `billedAtMs` and `chargeMicros`.
 */
@Entity('cloud_billing_metered_usage')
export class MeteredUsageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'report_id', type: 'varchar', length: 160 })
  reportId: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'counter_id', type: 'int' })
  counterId: number;

  @Column({ name: 'at_ms', ...epochMsColumn })
  atMs: number;

  /** The start of the UTC hour `atMs` falls in: the hour settlement rates it into. */
  @Column({ name: 'hour_start_ms', ...epochMsColumn })
  hourStartMs: number;

  @Column({ name: 'quantity', ...scaledQuantityColumn })
  quantity: number;

  /** The cumulative reading reported, scaled by 10^6; null for a report of a quantity. */
  @Column({ name: 'reading', ...scaledQuantityColumn, nullable: true })
  reading: number | null;

  /** When it arrived, by the plugin's clock: settlement tells a late report from one on time by it. */
  @Column({ name: 'received_at_ms', ...epochMsColumn })
  receivedAtMs: number;

  @Column({ name: 'billed_at_ms', ...epochMsColumn, nullable: true })
  billedAtMs: number | null;

  @Column({ name: 'charge', ...microCreditsColumn, nullable: true })
  chargeMicros: number | null;

  /**
   * It arrived after its hour was settled (decided under the instance's lock, which settlement also takes): it is
   * billed on its own, as an adjustment, instead of with its hour.
   */
  @Column({ type: 'boolean', transformer: booleanTransformer, default: false })
  late: boolean;

  /** The month and day of the billing zone `atMs` falls in, set when it is billed. */
  @Column({ name: 'month_key', type: 'varchar', length: 7, nullable: true })
  monthKey: string | null;

  @Column({ name: 'day_key', type: 'varchar', length: 10, nullable: true })
  dayKey: string | null;
}
