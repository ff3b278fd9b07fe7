import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochMsColumn } from '../../common/column-types';
import type { OutboxAction, OutboxChannel, OutboxStatus } from './outbox.types';

/**
 * One side effect the billing engine decided on (an email, a provisioner call), written in the same
 * transaction as the decision and delivered afterwards, until the port accepts it.
 */
@Entity('cloud_billing_outbox')
@Index('IDX_cloud_billing_outbox_due', ['status', 'nextAttemptAtMs'])
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index('UQ_cloud_billing_outbox_dedupe_key', { unique: true })
  @Column({ name: 'dedupe_key', type: 'varchar', length: 160 })
  dedupeKey: string;

  @Column({ type: 'varchar', length: 16 })
  channel: OutboxChannel;

  @Column({ type: 'varchar', length: 32 })
  action: OutboxAction;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 64, nullable: true })
  instanceId: string | null;

  /** JSON: the rendered message of an email, free-form details for a provisioner call. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxStatus;

  /** Port calls made so far, failed ones and the final successful one. */
  @Column({ type: 'int' })
  attempts: number;

  @Column({ name: 'next_attempt_at_ms', ...epochMsColumn })
  nextAttemptAtMs: number;

  /** While in the future, one replica is delivering the row and the others leave it alone. */
  @Column({ name: 'lease_until_ms', ...epochMsColumn, nullable: true })
  leaseUntilMs: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;

  @Column({ name: 'done_at_ms', ...epochMsColumn, nullable: true })
  doneAtMs: number | null;
}
