import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { booleanTransformer, epochMsColumn, microCreditsColumn, wholeNumberColumn } from '../../common/column-types';
import { MeteredMonthlyEntity } from './metered-monthly.entity';
import { RuleUsageEntity } from './rule-usage.entity';
import { SettlementFailureEntity } from './settlement-failure.entity';

/** One settled hour of one instance on one plan, with the seconds and the rates it was charged at. */
@Entity('cloud_billing_usage')
export class UsageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'plan_id', type: 'int' })
  planId: number;

  @Column({ name: 'hour_start_ms', ...epochMsColumn })
  hourStartMs: number;

  /**
   * Where this row's part of the hour starts: the hour's start, or the instant a new day or month of the
   * billing zone begins inside the hour (a :30 or :45 zone), whose seconds count toward that day and month.
   */
  @Column({ name: 'period_start_ms', ...epochMsColumn })
  periodStartMs: number;

  @Column({ name: 'month_key', type: 'varchar', length: 7 })
  monthKey: string;

  /** 'YYYY-MM-DD' of the part in the billing zone: the daily rollup it was added to. */
  @Column({ name: 'day_key', type: 'varchar', length: 10, nullable: true })
  dayKey: string | null;

  @Column({ name: 'running_seconds', type: 'int' })
  runningSeconds: number;

  @Column({ name: 'stopped_seconds', type: 'int' })
  stoppedSeconds: number;

  @Column({ name: 'suspended_seconds', type: 'int' })
  suspendedSeconds: number;

  /** The seconds charged after the granularity rounding. */
  @Column({ name: 'billed_seconds', type: 'int' })
  billedSeconds: number;

  @Column({ name: 'running_rate', ...microCreditsColumn })
  runningRate: number;

  @Column({ name: 'stopped_rate', ...microCreditsColumn })
  stoppedRate: number;

  @Column({ name: 'suspended_rate', ...microCreditsColumn })
  suspendedRate: number;

  /** A monthly-only plan's month paid up front (prorated in the first month); included in `charge`. */
  @Column({ name: 'upfront_charge', ...microCreditsColumn })
  upfrontCharge: number;

  @Column({ ...microCreditsColumn })
  charge: number;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  capped: boolean;

  /** 0 when first settled; a late event re-rates the hour into rows of the next revision. */
  @Column({ type: 'int', default: 0 })
  revision: number;

  /** Replaced by a later revision: kept as the record of what was charged first, never counted again. */
  @Column({ type: 'boolean', transformer: booleanTransformer, default: false })
  superseded: boolean;
}

/** Per instance, plan and month: what the monthly cap is measured against, and what reports read. */
@Entity('cloud_billing_monthly_usage')
export class MonthlyUsageEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId: string;

  @PrimaryColumn({ name: 'plan_id', type: 'int' })
  planId: number;

  @PrimaryColumn({ name: 'month_key', type: 'varchar', length: 7 })
  monthKey: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ type: 'int' })
  hours: number;

  @Column({ name: 'billed_seconds', ...wholeNumberColumn })
  billedSeconds: number;

  @Column({ ...microCreditsColumn })
  charge: number;

  /**
   * The running rate charged in the row's latest settled hour, so a report shows the rate of that month even
   * after the plan's price changed. Optional only for writers that predate it (the billing benchmark's bare SQL).
   */
  @Column({ name: 'hourly_rate', ...microCreditsColumn, nullable: true })
  hourlyRate?: number | null;
}

/** Per user and day (in the billing time zone): the daily cost chart, without reading hourly rows. */
@Entity('cloud_billing_daily_usage')
export class DailyUsageEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** 'YYYY-MM-DD' of the hours' start; it always lies in the month_key those hours were rolled up under. */
  @PrimaryColumn({ name: 'day_key', type: 'varchar', length: 10 })
  dayKey: string;

  @Column({ name: 'billed_seconds', ...wholeNumberColumn })
  billedSeconds: number;

  @Column({ ...microCreditsColumn })
  charge: number;

  /** The part of `charge` that resource rules charged (optional only for the billing benchmark's bare SQL). */
  @Column({ name: 'rule_charge', ...microCreditsColumn, default: 0 })
  ruleCharge?: number;

  /** The part of `charge` that metered counters charged. */
  @Column({ name: 'counter_charge', ...microCreditsColumn, default: 0 })
  counterCharge?: number;
}

export const USAGE_ENTITIES = [
  UsageEntity,
  MonthlyUsageEntity,
  DailyUsageEntity,
  SettlementFailureEntity,
  RuleUsageEntity,
  MeteredMonthlyEntity,
];
