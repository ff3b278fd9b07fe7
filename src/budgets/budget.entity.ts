import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMsColumn, microCreditsColumn } from '../common/column-types';
import type { BudgetAction } from './budget-rules';

/** A user's monthly budget: one row a user (PUT /me/budget sets it, DELETE removes it). */
@Entity('cloud_billing_budgets')
export class BudgetEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** The budget in micro-credits: what spend is compared with. */
  @Column({ name: 'amount', ...microCreditsColumn })
  amount: number;

  /** The amount as the user gave it, in the currency they saw, so the page shows back exactly what they typed. */
  @Column({ name: 'currency_code', type: 'varchar', length: 3 })
  currencyCode: string;

  @Column({ name: 'currency_amount', type: 'varchar', length: 32 })
  currencyAmount: string;

  /** Percent levels, increasing, comma-separated ("50,80,100"): at most 10 of 1–1000. */
  @Column({ name: 'alert_levels', type: 'varchar', length: 64 })
  alertLevels: string;

  @Column({ type: 'varchar', length: 16 })
  action: BudgetAction;

  @Column({ name: 'created_at_ms', ...epochMsColumn })
  createdAtMs: number;

  @Column({ name: 'updated_at_ms', ...epochMsColumn })
  updatedAtMs: number;
}

export const BUDGET_ENTITIES = [BudgetEntity];
