import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMsColumn } from '../../common/column-types';

/**
 * An account whose settlement failed: the hour it is stuck at and why. Everyone else is charged on time;
 * this account is retried on every run and its row removed once its hour settles. The audit lists it.
 */
@Entity('cloud_billing_settlement_failures')
export class SettlementFailureEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'hour_start_ms', ...epochMsColumn })
  hourStartMs: number;

  @Column({ type: 'varchar', length: 500 })
  error: string;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ name: 'first_failed_at_ms', ...epochMsColumn })
  firstFailedAtMs: number;

  @Column({ name: 'last_failed_at_ms', ...epochMsColumn })
  lastFailedAtMs: number;
}
