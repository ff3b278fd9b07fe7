import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { booleanTransformer, epochMsColumn, microCreditsColumn, wholeNumberColumn } from '../../common/column-types';

/**
 * One resource rule's share of one calendar piece of one instance-hour, with the terms it was charged at. A
 * postpaid rule's row holds the quantity-seconds it billed; a prepaid rule has a row only in a piece where it charged
 * (a new period, or more units), holding what it charged for and what the period has been paid for since.
 */
@Entity('cloud_billing_rule_usage')
export class RuleUsageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'rule_id', type: 'int' })
  ruleId: number;

  @Column({ name: 'plan_id', type: 'int' })
  planId: number;

  @Column({ name: 'hour_start_ms', ...epochMsColumn })
  hourStartMs: number;

  /** The calendar piece of the hour (the hour, or its part in one day of the billing zone). */
  @Column({ name: 'period_start_ms', ...epochMsColumn })
  periodStartMs: number;

  @Column({ name: 'month_key', type: 'varchar', length: 7 })
  monthKey: string;

  @Column({ name: 'day_key', type: 'varchar', length: 10 })
  dayKey: string;

  /** Postpaid: the quantity (scaled by 10^6) times the seconds it was held in a billed state; prepaid: 0. */
  @Column({ name: 'quantity_seconds', ...wholeNumberColumn })
  quantitySeconds: number;

  /** Prepaid: the units (scaled by 10^6) charged for in this piece; null for postpaid. */
  @Column({ name: 'charged_quantity', ...wholeNumberColumn, nullable: true })
  chargedQuantity: number | null;

  /** Prepaid: the period the charge paid for (for a one-off rule: the instance's first billed instant). */
  @Column({ name: 'prepaid_period_start_ms', ...epochMsColumn, nullable: true })
  prepaidPeriodStartMs: number | null;

  /** Prepaid: the units that period is paid for after this piece. */
  @Column({ name: 'paid_quantity', ...wholeNumberColumn, nullable: true })
  paidQuantity: number | null;

  /** The rule's price and period when this row was charged. */
  @Column({ name: 'price', ...microCreditsColumn })
  priceMicros: number;

  @Column({ name: 'period_seconds', type: 'int' })
  periodSeconds: number;

  @Column({ ...microCreditsColumn })
  charge: number;

  @Column({ type: 'int', default: 0 })
  revision: number;

  @Column({ type: 'boolean', transformer: booleanTransformer, default: false })
  superseded: boolean;
}
