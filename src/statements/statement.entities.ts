import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMsColumn, microCreditsColumn, safeIntegerTransformer, wholeNumberColumn } from '../common/column-types';

/** The one row (id 1) that hands out statement numbers, locked by the transaction that inserts a statement. */
@Entity('cloud_billing_statement_numbers')
export class StatementNumberEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ name: 'last_number', ...wholeNumberColumn })
  lastNumber: number;
}

/** A user's closed month: written once, never changed. */
@Entity('cloud_billing_statements')
export class StatementEntity {
  @PrimaryColumn({ type: 'bigint', transformer: safeIntegerTransformer })
  number: number;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** 'YYYY-MM' in the billing time zone at closing. */
  @Column({ type: 'varchar', length: 7 })
  month: string;

  @Column({ name: 'period_start_ms', ...epochMsColumn })
  periodStartMs: number;

  @Column({ name: 'period_end_ms', ...epochMsColumn })
  periodEndMs: number;

  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ name: 'opening_balance', ...microCreditsColumn })
  openingBalance: number;

  @Column({ name: 'closing_balance', ...microCreditsColumn })
  closingBalance: number;

  /** The user's display currency at closing, its rate and layout copied so the statement never changes. */
  @Column({ name: 'currency_code', type: 'varchar', length: 3 })
  currencyCode: string;

  @Column({ name: 'value_per_credit_nanos', ...wholeNumberColumn })
  valuePerCreditNanos: number;

  @Column({ name: 'currency_prefix', type: 'varchar', length: 8 })
  currencyPrefix: string;

  @Column({ name: 'currency_suffix', type: 'varchar', length: 8 })
  currencySuffix: string;

  @Column({ name: 'currency_decimals', type: 'int' })
  currencyDecimals: number;

  @Column({ name: 'closed_at_ms', ...epochMsColumn })
  closedAtMs: number;
}

/** One line of a statement, in reading order. */
@Entity('cloud_billing_statement_lines')
export class StatementLineEntity {
  @PrimaryColumn({ name: 'statement_number', type: 'bigint', transformer: safeIntegerTransformer })
  statementNumber: number;

  @PrimaryColumn({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 16 })
  section: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 255 })
  description: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  detail: string | null;

  @Column({ name: 'instance_id', type: 'varchar', length: 64, nullable: true })
  instanceId: string | null;

  @Column({ name: 'occurred_at_ms', ...epochMsColumn, nullable: true })
  occurredAtMs: number | null;

  /** Signed micro-credits, as the ledger signs them. */
  @Column({ ...microCreditsColumn })
  amount: number;
}

/** A ledger entry's statement: the key is the entry, so an entry is in one statement at most. */
@Entity('cloud_billing_statement_entries')
export class StatementEntryEntity {
  @PrimaryColumn({ name: 'entry_id', type: 'bigint', transformer: safeIntegerTransformer })
  entryId: number;

  @Column({ name: 'statement_number', type: 'bigint', transformer: safeIntegerTransformer })
  statementNumber: number;
}

export const STATEMENT_ENTITIES = [StatementNumberEntity, StatementEntity, StatementLineEntity, StatementEntryEntity];
