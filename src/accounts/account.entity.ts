import { Column, Entity, PrimaryColumn } from 'typeorm';
import {
  datetimeAsEpochMsColumn,
  epochMsColumn,
  microCreditsColumn,
  safeIntegerTransformer,
  wholeNumberColumn,
} from '../common/column-types';

/** A user's credit account. `balance` is micro-credits and always equals the sum of the user's ledger entries. */
@Entity('cloud_billing_accounts')
export class AccountEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ ...microCreditsColumn })
  balance: number;

  /**
   * Set by the threshold engine while the user's instances are suspended for billing. The column is older than
   * the epoch-ms ones, a DATETIME (to the second), kept as it is rather than migrated.
   */
  @Column({ name: 'billing_suspended_at', ...datetimeAsEpochMsColumn, nullable: true })
  billingSuspendedAtMs: number | null;

  /** When this episode's low-balance, negative-balance and runway warnings went out; null once the balance recovers. */
  @Column({ name: 'low_notified_at_ms', ...epochMsColumn, nullable: true })
  lowNotifiedAtMs: number | null;

  @Column({ name: 'negative_notified_at_ms', ...epochMsColumn, nullable: true })
  negativeNotifiedAtMs: number | null;

  @Column({ name: 'runway_notified_at_ms', ...epochMsColumn, nullable: true })
  runwayNotifiedAtMs: number | null;

  /**
   * Since when the account has waited for threshold evaluation: set with every balance change, in its transaction
   * (kept at the oldest change until evaluated), and by the reconciliation when the recorded threshold state
   * disagrees with the balance and settings; null once evaluated. Durable, so a crash loses no evaluation.
   */
  @Column({ name: 'evaluation_due_at_ms', ...epochMsColumn, nullable: true })
  evaluationDueAtMs: number | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}

/**
 * `refund` is a credit an admin gives back (e.g. for an outage); `topup-refund` pays part of a top-up back to the
 * customer and `chargeback` is a top-up the bank reversed, both debits. `grant` is promotional credit coming in and
 * `expiry` the unused remainder of a grant leaving at its expiry.
 */
export const LEDGER_KINDS = [
  'topup',
  'charge',
  'adjustment',
  'refund',
  'grant',
  'expiry',
  'topup-refund',
  'chargeback',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** One immutable movement of credits; corrections are new entries, never updates. */
@Entity('cloud_billing_ledger_entries')
export class LedgerEntryEntity {
  // PrimaryGeneratedColumn takes no transformer, and mysql2 returns BIGINT ids as strings.
  @PrimaryColumn({ type: 'bigint', generated: 'increment', transformer: safeIntegerTransformer })
  id: number;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: LedgerKind;

  /** Signed micro-credits: positive credits the account, negative debits it. */
  @Column({ ...microCreditsColumn })
  amount: number;

  @Column({ name: 'balance_after', ...microCreditsColumn })
  balanceAfter: number;

  /** Unique: the same operation posted twice finds this entry instead of adding another. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 160 })
  idempotencyKey: string;

  /** For an amount given in a currency: that currency, the amount as given and the rate used. */
  @Column({ name: 'currency_code', type: 'varchar', length: 3, nullable: true })
  currencyCode: string | null;

  @Column({ name: 'currency_amount', type: 'varchar', length: 32, nullable: true })
  currencyAmount: string | null;

  @Column({
    name: 'value_per_credit_nanos',
    ...wholeNumberColumn,
    nullable: true,
  })
  valuePerCreditNanos: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  /**
   * The instant an entry is for, when that is not when it was posted: the settled hour of an engine charge or
   * re-rating adjustment, the expiry of an `expiry` entry. Null for top-ups and admin entries.
   */
  @Column({ name: 'hour_start_ms', ...epochMsColumn, nullable: true })
  hourStartMs: number | null;

  /** The instance a re-rating adjustment corrects. */
  @Column({ name: 'instance_id', type: 'varchar', length: 64, nullable: true })
  instanceId: string | null;

  /** The top-up a top-up refund or chargeback reverses. */
  @Column({ name: 'reverses_entry_id', type: 'bigint', nullable: true, transformer: safeIntegerTransformer })
  reversesEntryId: number | null;

  /** The admin who posted it; null for entries the billing engine writes. */
  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
