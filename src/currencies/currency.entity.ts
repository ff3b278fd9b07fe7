import { Column, Entity, PrimaryColumn, ValueTransformer } from 'typeorm';
import { booleanTransformer, wholeNumberColumn } from '../common/column-types';
import type { CurrencyFormat } from '../common/money';

/**
 * `isDefault` is stored as a marker that is 1 on the default currency and NULL elsewhere, never 0: NULLs never
 * collide in a unique index, so the index on `default_marker` allows one default at most. A where on
 * `isDefault: false` therefore matches nothing (NULL = NULL is not true); ask for `isDefault: true` only.
 */
const defaultMarker: ValueTransformer = {
  to: (isDefault: boolean | undefined) => (isDefault ? 1 : null),
  from: (marker: number | null) => marker === 1,
};

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
   * The database allows one default at most (see `defaultMarker`) and a CHECK (migration 1763740010000) that it is
   * enabled; CurrencyService keeps "at least one" under row locks.
   */
  @Column({ name: 'default_marker', type: 'int', nullable: true, transformer: defaultMarker })
  isDefault: boolean;
}

@Entity('cloud_billing_user_preferences')
export class UserPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** NULL means "the default currency", so removing a currency moves its users back to the default. */
  @Column({ name: 'currency_code', type: 'varchar', length: 3, nullable: true })
  currencyCode: string | null;
}
