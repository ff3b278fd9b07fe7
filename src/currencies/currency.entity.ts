import { Column, Entity, PrimaryColumn } from 'typeorm';
import { booleanTransformer, wholeNumberColumn } from '../common/column-types';
import type { CurrencyFormat } from '../common/money';

@Entity('cloud_billing_currencies')
export class CurrencyEntity implements CurrencyFormat {
  @PrimaryColumn({ type: 'varchar', length: 3 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** Value of one credit in this currency, in billionths (0.01 USD = 10,000,000). */
  @Column({ name: 'value_per_credit_nanos', ...wholeNumberColumn })
  valuePerCreditNanos: number;

  @Column({ type: 'varchar', length: 8, default: '' })
  prefix: string;

  @Column({ type: 'varchar', length: 8, default: '' })
  suffix: string;

  @Column({ type: 'int' })
  decimals: number;

  @Column({ type: 'boolean', transformer: booleanTransformer })
  enabled: boolean;

  /**
   * 1 on the default currency, NULL elsewhere: a unique index allows one default at most, and a CHECK
   * (migration 1763740010000) that it is enabled; CurrencyService keeps "at least one" under row locks.
   */
  @Column({ name: 'default_marker', type: 'int', nullable: true })
  defaultMarker: number | null;
}

@Entity('cloud_billing_user_preferences')
export class UserPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** NULL means "the default currency", so removing a currency moves its users back to the default. */
  @Column({ name: 'currency_code', type: 'varchar', length: 3, nullable: true })
  currencyCode: string | null;
}
