import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { epochMsColumn, microCreditsColumn, wholeNumberColumn } from '../common/column-types';

/** A user's opt-in auto top-up rule (AutoTopUpRule in micro-credits); one row per user, deleted to opt out. */
@Entity('cloud_billing_auto_top_up_rules')
export class AutoTopUpRuleEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** The currency the user is charged in. */
  @Column({ name: 'currency_code', type: 'varchar', length: 3 })
  currencyCode: string;

  @Column({ name: 'threshold', ...microCreditsColumn })
  thresholdMicros: number;

  /** A fixed top-up; null when the rule tops up to `target`. */
  @Column({ name: 'amount', ...microCreditsColumn, nullable: true })
  amountMicros: number | null;

  @Column({ name: 'target', ...microCreditsColumn, nullable: true })
  targetMicros: number | null;

  @Column({ name: 'monthly_limit', ...microCreditsColumn })
  monthlyLimitMicros: number;

  /** The last attempt number allocated to this user (attempt keys are `auto-topup:<user>:<n>`); never reused. */
  @Column({ name: 'attempt_seq', ...wholeNumberColumn })
  attemptSeq: number;

  @Column({ name: 'updated_at_ms', ...epochMsColumn })
  updatedAtMs: number;
}

export const ATTEMPT_STATUSES = ['pending', 'succeeded', 'cancelled'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/**
 * One auto top-up: decided under the account's row lock, delivered through the outbox (channel 'payment', dedupe
 * key = `attemptKey`), retried until the gateway accepts it. Pending and succeeded attempts count against the month's
 * limit; a cancelled one (the rule was removed before it was charged) does not.
 */
@Entity('cloud_billing_auto_top_up_attempts')
@Index('IDX_cloud_billing_auto_top_up_attempts_user_month', ['userId', 'month'])
export class AutoTopUpAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** `auto-topup:<user>:<n>`: the gateway's idempotency key and the outbox row's dedupe key. */
  @Index('UQ_cloud_billing_auto_top_up_attempts_key', { unique: true })
  @Column({ name: 'attempt_key', type: 'varchar', length: 160 })
  attemptKey: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** YYYY-MM in the billing time zone when the attempt was decided: the month whose limit it counts against. */
  @Column({ type: 'varchar', length: 7 })
  month: string;

  @Column({ type: 'varchar', length: 16 })
  status: AttemptStatus;

  /** The credits the rule asked for: what counts against the monthly limit. */
  @Column({ name: 'requested', ...microCreditsColumn })
  requestedMicros: number;

  /** The credits the currency amount buys at the recorded rate: what the account receives. */
  @Column({ name: 'credited', ...microCreditsColumn })
  creditedMicros: number;

  @Column({ name: 'currency_code', type: 'varchar', length: 3 })
  currencyCode: string;

  /** The amount charged, a decimal string at the currency's decimals (e.g. "10.00"). */
  @Column({ name: 'currency_amount', type: 'varchar', length: 40 })
  currencyAmount: string;

  @Column({ name: 'value_per_credit_nanos', ...wholeNumberColumn })
  valuePerCreditNanos: number;

  @Column({ name: 'balance_at_decision', ...microCreditsColumn })
  balanceAtDecisionMicros: number;

  /**
   * Gateway calls started, counted before each call. While it equals `failures`, every call ended in a recorded
   * failure and no money can have been taken, so removing the rule may cancel the attempt.
   */
  @Column({ type: 'int' })
  calls: number;

  /** Gateway calls that failed so far (each retried by the outbox with its backoff). */
  @Column({ type: 'int' })
  failures: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  /** The gateway's reference for the successful charge. */
  @Column({ name: 'payment_reference', type: 'varchar', length: 160, nullable: true })
  paymentReference: string | null;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;

  @Column({ name: 'completed_at_ms', ...epochMsColumn, nullable: true })
  completedAtMs: number | null;
}

export const PAYMENTS_ENTITIES = [AutoTopUpRuleEntity, AutoTopUpAttemptEntity];
