import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { safeIntegerTransformer } from '../common/column-types';
import { forUpdate } from '../common/database';
import { managerOf, managerOr, type Tx } from '../common/tx';
import { BudgetEntity } from './budget.entity';

/** Kinds that are spend: hourly charges, and adjustments (signed: a credit back reduces the spend). */
const SPEND_KINDS = ['charge', 'adjustment'];

/** A DATETIME(3) as both engines store and compare it: UTC, 'YYYY-MM-DD HH:MM:SS.mmm'. */
const utcDatetime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

@Injectable()
export class BudgetRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(userId: string, tx?: Tx): Promise<BudgetEntity | null> {
    return managerOr(tx, this.dataSource).findOneBy(BudgetEntity, { userId });
  }

  /** The user's budget under its row lock: evaluations of one user take turns on it, whichever replica runs them. */
  lock(tx: Tx, userId: string): Promise<BudgetEntity | null> {
    const query = managerOf(tx)
      .getRepository(BudgetEntity)
      .createQueryBuilder('b')
      .where('b.user_id = :userId', { userId });
    return forUpdate(query).getOne();
  }

  /**
   * One row a user, written in one statement (INSERT … ON DUPLICATE KEY UPDATE / ON CONFLICT DO UPDATE): two PUTs
   * at once both succeed and the later one stands, keeping the first creation time.
   */
  async upsert(tx: Tx, row: BudgetEntity): Promise<void> {
    await managerOf(tx)
      .createQueryBuilder()
      .insert()
      .into(BudgetEntity)
      .values(row)
      .orUpdate(['amount', 'currency_code', 'currency_amount', 'alert_levels', 'action', 'updated_at_ms'], ['user_id'])
      .updateEntity(false)
      .execute();
  }

  async delete(tx: Tx, userId: string): Promise<boolean> {
    const result = await managerOf(tx).delete(BudgetEntity, { userId });
    return (result.affected ?? 0) > 0;
  }

  /** Users with a budget, by id after `afterUserId`: the evaluation walks them in key-paginated pages. */
  async userIdsAfter(afterUserId: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(BudgetEntity)
      .createQueryBuilder('b')
      .select('b.user_id', 'userId')
      .where('b.user_id > :afterUserId', { afterUserId })
      .orderBy('b.user_id', 'ASC')
      .limit(limit)
      .getRawMany<{ userId: string }>();
    return rows.map((row) => String(row.userId));
  }

  /**
   * Micro-credits the user spent in [fromMs, untilMs): −(charges + adjustments), each entry placed by the hour it is
   * for (`hour_start_ms`), or, for an admin's adjustment that has none, by when it was posted. The ledger is
   * accounts' table, read here by name as the reports read it: a sum, nothing a service of theirs offers.
   */
  async spendBetween(userId: string, fromMs: number, untilMs: number, tx?: Tx): Promise<number> {
    const row = await managerOr(tx, this.dataSource)
      .createQueryBuilder()
      .from('cloud_billing_ledger_entries', 'e')
      .select('COALESCE(SUM(e.amount), 0)', 'total')
      .where('e.user_id = :userId', { userId })
      .andWhere('e.kind IN (:...kinds)', { kinds: SPEND_KINDS })
      .andWhere(
        '((e.hour_start_ms IS NOT NULL AND e.hour_start_ms >= :fromMs AND e.hour_start_ms < :untilMs) OR ' +
          '(e.hour_start_ms IS NULL AND e.created_at >= :fromAt AND e.created_at < :untilAt))',
        { fromMs, untilMs, fromAt: utcDatetime(fromMs), untilAt: utcDatetime(untilMs) },
      )
      .getRawOne<{ total: string | number | null }>();
    const total = safeIntegerTransformer.from(row?.total ?? 0) as number;
    return total === 0 ? 0 : -total;
  }
}
