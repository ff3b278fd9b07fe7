import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMsColumn, microCreditsColumn, safeIntegerTransformer } from '../../common/column-types';
import type { GrantCategory } from './grant-draws';

/**
 * Credit with a category, a priority and maybe an expiry (the Lago / Stripe credit grant). The ledger entry that
 * brought it in has the same idempotency key. `remaining` is what debits have not drawn yet; at expiry it leaves
 * the balance as an `expiry` entry and the grant closes.
 */
@Entity('cloud_billing_credit_grants')
export class CreditGrantEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment', transformer: safeIntegerTransformer })
  id: number;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  category: GrantCategory;

  @Column({ ...microCreditsColumn })
  amount: number;

  @Column({ ...microCreditsColumn })
  remaining: number;

  @Column({ type: 'int' })
  priority: number;

  @Column({ name: 'expires_at_ms', ...epochMsColumn, nullable: true })
  expiresAtMs: number | null;

  /** The ledger entry that credited it (unique). */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 160 })
  idempotencyKey: string;

  /** When it expired (or was used up and closed); null while open. */
  @Column({ name: 'closed_at_ms', ...epochMsColumn, nullable: true })
  closedAtMs: number | null;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;
}

/** What one debit took from one grant: a charge records every grant it drew on. */
@Entity('cloud_billing_grant_draws')
export class GrantDrawEntity {
  /** The debiting ledger entry's idempotency key (or, for a new grant paying a debt, the grant's own). */
  @PrimaryColumn({ name: 'entry_key', type: 'varchar', length: 160 })
  entryKey: string;

  @PrimaryColumn({ name: 'grant_id', type: 'bigint', transformer: safeIntegerTransformer })
  grantId: number;

  @Column({ ...microCreditsColumn })
  amount: number;
}
