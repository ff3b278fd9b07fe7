import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThan, MoreThan, SelectQueryBuilder } from 'typeorm';
import type { LedgerKind } from '../accounts/account.entity';
import { forUpdate } from '../common/database';
import { managerOf, managerOr, type Tx } from '../common/tx';
import {
  StatementEntity,
  StatementEntryEntity,
  StatementLineEntity,
  StatementNumberEntity,
} from './statement.entities';
import type { StatementLedgerEntry } from './statement-lines';

/** Rows per multi-row INSERT. */
const INSERT_ROWS = 500;
const COUNTER_ID = 1;

type Raw = Record<string, unknown>;

/** A DATETIME as both drivers hand it back: a Date (mysql2), or UTC text without a zone (better-sqlite3). */
const epochMsOf = (value: unknown): number =>
  value instanceof Date ? value.getTime() : new Date(`${String(value).replace(' ', 'T')}Z`).getTime();

const integer = (value: unknown): number => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`${String(value)} is not a safe integer`);
  return parsed;
};

/**
 * Statements, their lines and membership, and the ledger as statements read it. The ledger is read by table name,
 * as the usage report reads it, and never written: statements only record which entry went where.
 */
@Injectable()
export class StatementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The next page of users with an account, by key. */
  async accountsAfter(afterUserId: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource.manager
      .createQueryBuilder()
      .from('cloud_billing_accounts', 'a')
      .select('a.user_id', 'userId')
      .where('a.user_id > :afterUserId', { afterUserId })
      .orderBy('a.user_id', 'ASC')
      .limit(limit)
      .getRawMany<{ userId: string }>();
    return rows.map((row) => String(row.userId));
  }

  /** Each user's latest statement (only users that have one). */
  async latestOf(userIds: string[]): Promise<Map<string, StatementEntity>> {
    if (userIds.length === 0) return new Map();
    const latest = await this.dataSource.manager
      .getRepository(StatementEntity)
      .createQueryBuilder('s')
      .select('s.user_id', 'userId')
      .addSelect('MAX(s.month)', 'month')
      .where({ userId: In(userIds) })
      .groupBy('s.user_id')
      .getRawMany<{ userId: string; month: string }>();
    if (latest.length === 0) return new Map();
    const rows = await this.dataSource.manager.getRepository(StatementEntity).find({
      where: latest.map((row) => ({ userId: String(row.userId), month: String(row.month) })),
    });
    return new Map(rows.map((row) => [row.userId, row]));
  }

  find(userId: string, month: string, tx?: Tx): Promise<StatementEntity | null> {
    return managerOr(tx, this.dataSource).getRepository(StatementEntity).findOneBy({ userId, month });
  }

  /** The statement before `month`, the one this month opens from. */
  previous(tx: Tx, userId: string, month: string): Promise<StatementEntity | null> {
    return managerOf(tx)
      .getRepository(StatementEntity)
      .findOne({ where: { userId, month: LessThan(month) }, order: { month: 'DESC' } });
  }

  /** A user's statements, newest month first. */
  listForUser(userId: string): Promise<StatementEntity[]> {
    return this.dataSource.manager.getRepository(StatementEntity).find({ where: { userId }, order: { month: 'DESC' } });
  }

  /** The next page of a month's statements, by number. */
  pageOfMonth(month: string, afterNumber: number, limit: number): Promise<StatementEntity[]> {
    return this.dataSource.manager.getRepository(StatementEntity).find({
      where: { month, number: MoreThan(afterNumber) },
      order: { number: 'ASC' },
      take: limit,
    });
  }

  linesOf(numbers: number[]): Promise<StatementLineEntity[]> {
    if (numbers.length === 0) return Promise.resolve([]);
    return this.dataSource.manager
      .getRepository(StatementLineEntity)
      .find({ where: { statementNumber: In(numbers) }, order: { statementNumber: 'ASC', position: 'ASC' } });
  }

  /**
   * Per user, when their oldest entry in no statement yet happened (its hour, else when posted); users without one
   * are absent. Two grouped queries for a whole page of accounts, not two per account.
   */
  async oldestUnstatedAtMs(userIds: string[]): Promise<Map<string, number>> {
    const oldest = new Map<string, number>();
    if (userIds.length === 0) return oldest;
    const manager = this.dataSource.manager;
    const keep = (userId: string, at: number) => oldest.set(userId, Math.min(oldest.get(userId) ?? at, at));
    const hours = await unstated(manager, userIds)
      .select('e.user_id', 'userId')
      .addSelect('MIN(e.hour_start_ms)', 'at')
      .andWhere('e.hour_start_ms IS NOT NULL')
      .groupBy('e.user_id')
      .getRawMany<{ userId: string; at: unknown }>();
    for (const row of hours) keep(String(row.userId), integer(row.at));
    const posted = await unstated(manager, userIds)
      .select('e.user_id', 'userId')
      .addSelect('MIN(e.created_at)', 'at')
      .andWhere('e.hour_start_ms IS NULL')
      .groupBy('e.user_id')
      .getRawMany<{ userId: string; at: unknown }>();
    for (const row of posted) keep(String(row.userId), epochMsOf(row.at));
    return oldest;
  }

  /** The user's entries in no statement yet that happened before `endMs`: what a statement ending there takes. */
  async unstatedBefore(tx: Tx, userId: string, endMs: number): Promise<StatementLedgerEntry[]> {
    const rows = await unstated(managerOf(tx), userId)
      .select('e.id', 'id')
      .addSelect('e.kind', 'kind')
      .addSelect('e.amount', 'amount')
      .addSelect('e.idempotency_key', 'idempotencyKey')
      .addSelect('e.note', 'note')
      .addSelect('e.hour_start_ms', 'hourStartMs')
      .addSelect('e.created_at', 'createdAt')
      .addSelect('e.currency_code', 'currencyCode')
      .addSelect('e.currency_amount', 'currencyAmount')
      .andWhere(
        '((e.hour_start_ms IS NOT NULL AND e.hour_start_ms < :endMs) OR (e.hour_start_ms IS NULL AND e.created_at < :end))',
        { endMs, end: new Date(endMs) },
      )
      .orderBy('e.id', 'ASC')
      .getRawMany<Raw>();
    return rows.map((row) => ({
      id: integer(row.id),
      kind: String(row.kind) as LedgerKind,
      amount: integer(row.amount),
      idempotencyKey: String(row.idempotencyKey),
      note: row.note === null ? null : String(row.note),
      hourStartMs: row.hourStartMs === null ? null : integer(row.hourStartMs),
      createdAtMs: epochMsOf(row.createdAt),
      currencyCode: row.currencyCode === null ? null : String(row.currencyCode),
      currencyAmount: row.currencyAmount === null ? null : String(row.currencyAmount),
    }));
  }

  /** Takes the next number under the counter row's lock: a rollback gives it back, so numbers have no gaps. */
  async takeNumber(tx: Tx): Promise<number> {
    const repository = managerOf(tx).getRepository(StatementNumberEntity);
    const counter = await forUpdate(
      repository.createQueryBuilder('n').where('n.id = :id', { id: COUNTER_ID }),
    ).getOneOrFail();
    const number = counter.lastNumber + 1;
    await repository.update({ id: COUNTER_ID }, { lastNumber: number });
    return number;
  }

  /** Writes a closed statement, its lines and its entries' membership (the entries' keys refuse a second one). */
  async insert(
    tx: Tx,
    statement: StatementEntity,
    lines: Omit<StatementLineEntity, 'statementNumber' | 'position'>[],
    entryIds: number[],
  ): Promise<void> {
    const manager = managerOf(tx);
    await manager.getRepository(StatementEntity).insert(statement);
    const lineRows = lines.map((line, position) => ({ ...line, statementNumber: statement.number, position }));
    for (let i = 0; i < lineRows.length; i += INSERT_ROWS) {
      await manager.getRepository(StatementLineEntity).insert(lineRows.slice(i, i + INSERT_ROWS));
    }
    const members = entryIds.map((entryId) => ({ entryId, statementNumber: statement.number }));
    for (let i = 0; i < members.length; i += INSERT_ROWS) {
      await manager.getRepository(StatementEntryEntity).insert(members.slice(i, i + INSERT_ROWS));
    }
  }
}

/** The user's ledger entries that no statement holds yet (alias e). */
function unstated(manager: EntityManager, userIds: string | string[]): SelectQueryBuilder<object> {
  return manager
    .createQueryBuilder()
    .from('cloud_billing_ledger_entries', 'e')
    .where('e.user_id IN (:...userIds)', { userIds: typeof userIds === 'string' ? [userIds] : userIds })
    .andWhere('NOT EXISTS (SELECT 1 FROM cloud_billing_statement_entries m WHERE m.entry_id = e.id)');
}
