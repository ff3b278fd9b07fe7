import { Column, Entity, PrimaryColumn } from 'typeorm';
import { booleanTransformer, epochMsColumn, microCreditsColumn, safeIntegerTransformer } from '../common/column-types';

/** A code users redeem for promotional credit, with its limits; `redemptions` is locked and counted by each. */
@Entity('cloud_billing_promo_codes')
export class PromoCodeEntity {
  /** Upper case, as users may type it in any case. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code: string;

  @Column({ ...microCreditsColumn })
  amount: number;

  @Column({ type: 'int' })
  priority: number;

  /** After this, the code can no longer be redeemed; null: never. */
  @Column({ name: 'code_expires_at_ms', ...epochMsColumn, nullable: true })
  codeExpiresAtMs: number | null;

  /** The credit it grants expires at this instant … */
  @Column({ name: 'credit_expires_at_ms', ...epochMsColumn, nullable: true })
  creditExpiresAtMs: number | null;

  /** … or this many days after the redemption; both null: the credit never expires. */
  @Column({ name: 'credit_valid_days', type: 'int', nullable: true })
  creditValidDays: number | null;

  @Column({ name: 'max_redemptions', type: 'int', nullable: true })
  maxRedemptions: number | null;

  @Column({ name: 'max_per_user', type: 'int' })
  maxPerUser: number;

  /** Only users without any ledger entry yet may redeem it. */
  @Column({ name: 'new_accounts_only', type: 'boolean', transformer: booleanTransformer })
  newAccountsOnly: boolean;

  @Column({ type: 'int', transformer: safeIntegerTransformer })
  redemptions: number;

  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy: string;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;
}

/** One redemption: unique per code, user and sequence, and per user and request reference. */
@Entity('cloud_billing_promo_redemptions')
export class PromoRedemptionEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment', transformer: safeIntegerTransformer })
  id: number;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** The user's 1st, 2nd, … redemption of this code. */
  @Column({ type: 'int' })
  sequence: number;

  @Column({ type: 'varchar', length: 100 })
  reference: string;

  /** The idempotency key of the grant (and its ledger entry) it posted. */
  @Column({ name: 'grant_key', type: 'varchar', length: 160 })
  grantKey: string;

  @Column({ name: 'redeemed_at_ms', ...epochMsColumn })
  redeemedAtMs: number;
}

export const PROMOTION_ENTITIES = [PromoCodeEntity, PromoRedemptionEntity];
