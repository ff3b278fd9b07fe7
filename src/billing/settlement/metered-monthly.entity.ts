import { Column, Entity, PrimaryColumn } from 'typeorm';
import { microCreditsColumn, wholeNumberColumn } from '../../common/column-types';

/** What a month's running total counts: a resource rule's quantity-seconds, or a counter's usage. */
export type MeteredItem = 'rule' | 'counter';

/**
 * Per instance, rule or counter, and month of the billing zone: the running total that postpaid rules and price
 * ranges are charged against, and what the month charged for it. Reports read their lines from it.
 */
@Entity('cloud_billing_metered_monthly')
export class MeteredMonthlyEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  item: MeteredItem;

  @PrimaryColumn({ name: 'item_id', type: 'int' })
  itemId: number;

  @PrimaryColumn({ name: 'month_key', type: 'varchar', length: 7 })
  monthKey: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** Scaled by 10^6: quantity-seconds for a postpaid rule, units charged for a prepaid one, usage for a counter. */
  @Column({ ...wholeNumberColumn })
  quantity: number;

  @Column({ ...microCreditsColumn })
  charge: number;
}
