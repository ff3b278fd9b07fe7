import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { booleanTransformer, microCreditsColumn } from '../common/column-types';

/** One row (id 1): the admin's billing settings. Amounts are micro-credits. */
@Entity('cloud_billing_settings')
export class SettingsEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ name: 'low_balance_threshold', ...microCreditsColumn })
  lowBalanceThreshold: number;

  @Column({ name: 'negative_balance_threshold', ...microCreditsColumn })
  negativeBalanceThreshold: number;

  @Column({ name: 'suspension_threshold', ...microCreditsColumn })
  suspensionThreshold: number;

  @Column({ name: 'allow_create_on_negative_balance', type: 'boolean', transformer: booleanTransformer })
  allowCreateOnNegativeBalance: boolean;

  @Column({ name: 'auto_unsuspend', type: 'boolean', transformer: booleanTransformer })
  autoUnsuspend: boolean;

  @Column({ name: 'terminate_after_days_suspended', type: 'int' })
  terminateAfterDaysSuspended: number;

  @Column({ name: 'billing_granularity_seconds', type: 'int' })
  billingGranularitySeconds: number;

  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ name: 'runway_warning_hours', type: 'int' })
  runwayWarningHours: number;

  /** How far in the past a host's registration or event may be dated; settled hours it touches are re-rated. */
  @Column({ name: 'late_event_window_hours', type: 'int', default: 72 })
  lateEventWindowHours: number;

  /** Hours of the new plan and of the user's other live instances a balance must cover to create; 0 = not below 0. */
  @Column({ name: 'creation_credit_hours', type: 'int', default: 1 })
  creationCreditHours: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}

export const SETTINGS_ROW_ID = 1;
