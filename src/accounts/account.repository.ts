import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { bulkInsert } from '../common/bulk-write';
import { forUpdate } from '../common/database';
import { managerOf, managerOr, type Tx } from '../common/tx';
import type { AccountStatusFilter } from './account-status';
import { AccountEntity, LedgerEntryEntity } from './account.entity';

export type NewLedgerEntry = Omit<LedgerEntryEntity, 'id'>;

/** What the threshold engine records on an account: the notices of its current episode and its suspension. */
export type ThresholdState = Pick<
  AccountEntity,
  'lowNotifiedAtMs' | 'negativeNotifiedAtMs' | 'runwayNotifiedAtMs' | 'billingSuspendedAtMs'
>;

/** An account waiting for threshold evaluation, and since when. */
export type EvaluationDue = { userId: string; evaluationDueAtMs: number };

/** Keeps multi-row statements well under both engines' limits on bound parameters. */
const ROWS_PER_STATEMENT = 500;

@Injectable()
export class AccountRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Whether `tx` really is an open transaction. Only UnitOfWork makes a Tx, so this can fail only for a handle
   * forged by a cast; the ledger asks anyway, since a row lock outside a transaction ends with its SELECT.
   */
  isOpen(tx: Tx): boolean {
    return managerOf(tx).queryRunner?.isTransactionActive === true;
  }

  /**
   * Creates each account with a zero balance unless it exists, in the order given. An upsert rather than
   * INSERT IGNORE: on MySQL the duplicate path then takes the row's exclusive lock at once, whereas IGNORE
   * takes a shared lock that two concurrent transactions would both try to upgrade with the FOR UPDATE that
   * follows, and deadlock.
   */
  async ensureAccounts(tx: Tx, userIds: string[], nowMs: number): Promise<void> {
    const now = new Date(nowMs);
    for (let start = 0; start < userIds.length; start += ROWS_PER_STATEMENT) {
      const rows = userIds
        .slice(start, start + ROWS_PER_STATEMENT)
        .map((userId) => ({ userId, balance: 0, billingSuspendedAtMs: null, createdAt: now, updatedAt: now }));
      await managerOf(tx)
        .createQueryBuilder()
        .insert()
        .into(AccountEntity)
        .values(rows)
        .orUpdate(['user_id'], ['user_id'])
        .updateEntity(false)
        .execute();
    }
  }

  /** Reads the account under a row lock (MySQL) that holds until the caller's transaction ends. */
  lockAccount(tx: Tx, userId: string): Promise<AccountEntity> {
    const query = managerOf(tx).getRepository(AccountEntity).createQueryBuilder('account');
    return forUpdate(query.where('account.user_id = :userId', { userId })).getOneOrFail();
  }

  /** Locks several accounts at once; callers pass them sorted so every writer locks in the same order. */
  async lockAccounts(tx: Tx, userIds: string[]): Promise<AccountEntity[]> {
    const accounts: AccountEntity[] = [];
    for (let start = 0; start < userIds.length; start += ROWS_PER_STATEMENT) {
      const userIdsChunk = userIds.slice(start, start + ROWS_PER_STATEMENT);
      const query = managerOf(tx)
        .getRepository(AccountEntity)
        .createQueryBuilder('account')
        .where('account.user_id IN (:...userIdsChunk)', { userIdsChunk });
      accounts.push(...(await forUpdate(query).getMany()));
    }
    return accounts;
  }

  /** Which of these keys are already in the ledger. */
  existingKeys(tx: Tx, keys: string[]): Promise<Set<string>> {
    return this.valuesInLedger(managerOf(tx), 'idempotency_key', keys);
  }

  /**
   * Per user, how many charges an hour already has: those naming the hour, and the first charge by its key
   * (entries posted before the hour was recorded on them).
   */
  async chargesPerHour(tx: Tx, hourStartMs: number, firstKeys: Map<string, string>): Promise<Map<string, number>> {
    const rows = await managerOf(tx)
      .getRepository(LedgerEntryEntity)
      .createQueryBuilder('entry')
      .select('entry.user_id', 'userId')
      .addSelect('COUNT(*)', 'count')
      .where('entry.user_id IN (:...userIds)', { userIds: [...firstKeys.keys()] })
      .andWhere("entry.kind = 'charge'")
      .andWhere(
        new Brackets((q) =>
          q
            .where('entry.hour_start_ms = :hourStartMs', { hourStartMs })
            .orWhere('entry.idempotency_key IN (:...keys)', { keys: [...firstKeys.values()] }),
        ),
      )
      .groupBy('entry.user_id')
      .getRawMany<{ userId: string; count: string | number }>();
    return new Map(rows.map((row) => [row.userId, Number(row.count)]));
  }

  async insertEntries(tx: Tx, entries: NewLedgerEntry[]): Promise<void> {
    await bulkInsert(managerOf(tx), LedgerEntryEntity, entries);
  }

  /**
   * One UPDATE … CASE per chunk of accounts, which both engines understand. Each account is marked due for
   * threshold evaluation in the same statement, so no balance change can commit without the mark; a mark already
   * there keeps its older time.
   */
  async setBalances(tx: Tx, balances: Map<string, number>, nowMs: number): Promise<void> {
    const rows = [...balances];
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const parameters: Record<string, string | number> = {};
      const cases = chunk.map(([userId, balance], i) => {
        parameters[`u${i}`] = userId;
        parameters[`b${i}`] = balance;
        return `WHEN :u${i} THEN :b${i}`;
      });
      await managerOf(tx)
        .createQueryBuilder()
        .update(AccountEntity)
        .set({
          balance: () => `CASE user_id ${cases.join(' ')} END`,
          evaluationDueAtMs: () => 'COALESCE(evaluation_due_at_ms, :evaluationDueMs)',
          updatedAt: new Date(nowMs),
        })
        .where('user_id IN (:...userIds)', { userIds: chunk.map(([userId]) => userId) })
        .setParameters({ ...parameters, evaluationDueMs: nowMs })
        .execute();
    }
  }

  setBalance(tx: Tx, userId: string, balance: number, nowMs: number): Promise<void> {
    return this.setBalances(tx, new Map([[userId, balance]]), nowMs);
  }

  /** Marks accounts due for threshold evaluation (those not due already), each by its primary key. */
  async markEvaluationDue(tx: Tx, userIds: string[], nowMs: number): Promise<void> {
    for (let start = 0; start < userIds.length; start += ROWS_PER_STATEMENT) {
      const chunk = userIds.slice(start, start + ROWS_PER_STATEMENT);
      await managerOf(tx)
        .getRepository(AccountEntity)
        .update({ userId: In(chunk), evaluationDueAtMs: IsNull() }, { evaluationDueAtMs: nowMs });
    }
  }

  /**
   * The next accounts due for evaluation after `after`, oldest mark first: key-paginated over the
   * (evaluation_due_at_ms, user_id) index, so a page costs its own rows whatever the table's size.
   */
  async evaluationsDue(after: EvaluationDue | null, limit: number): Promise<EvaluationDue[]> {
    const query = this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder('account')
      .select(['account.userId', 'account.evaluationDueAtMs'])
      .where('account.evaluation_due_at_ms IS NOT NULL');
    if (after) {
      query
        .andWhere('account.evaluation_due_at_ms >= :dueMs', { dueMs: after.evaluationDueAtMs })
        .andWhere(
          new Brackets((q) =>
            q
              .where('account.evaluation_due_at_ms > :dueMs')
              .orWhere('account.user_id > :userId', { userId: after.userId }),
          ),
        );
    }
    const rows = await query
      .orderBy('account.evaluation_due_at_ms', 'ASC')
      .addOrderBy('account.user_id', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map(({ userId, evaluationDueAtMs }) => ({ userId, evaluationDueAtMs: evaluationDueAtMs as number }));
  }

  /** How many accounts are waiting for evaluation: a count over the index. */
  countEvaluationsDue(): Promise<number> {
    return this.dataSource.getRepository(AccountEntity).count({ where: { evaluationDueAtMs: Not(IsNull()) } });
  }

  /**
   * `latest` makes it a locking read, which on MySQL sees rows committed after the transaction's snapshot
   * was taken: what the loser of an idempotency race needs to find the winner's entry.
   */
  findEntryByKey(tx: Tx, idempotencyKey: string, latest = false): Promise<LedgerEntryEntity | null> {
    const query = managerOf(tx)
      .getRepository(LedgerEntryEntity)
      .createQueryBuilder('entry')
      .where('entry.idempotency_key = :idempotencyKey', { idempotencyKey });
    return (latest ? forUpdate(query) : query).getOne();
  }

  async insertEntry(tx: Tx, entry: NewLedgerEntry): Promise<LedgerEntryEntity> {
    const entries = managerOf(tx).getRepository(LedgerEntryEntity);
    await entries.insert(entries.create(entry));
    // Read back rather than trust the driver's insert id, which mysql2 reports for BIGINT in its own way.
    return entries.findOneByOrFail({ idempotencyKey: entry.idempotencyKey });
  }

  /** Records what the threshold engine decided for this account's current episode; the account is no longer due. */
  async saveThresholdState(tx: Tx, userId: string, state: ThresholdState): Promise<void> {
    // Called under the account's row lock, which every balance change takes too: no newer mark can be cleared.
    await managerOf(tx)
      .getRepository(AccountEntity)
      .update({ userId }, { ...state, evaluationDueAtMs: null });
  }

  /** Which of these users have any ledger entry: one without any never had credit. Read in `tx` when given. */
  usersWithEntries(userIds: string[], tx?: Tx): Promise<Set<string>> {
    return this.valuesInLedger(managerOr(tx, this.dataSource), 'user_id', userIds);
  }

  /** Which of `values` some entry holds in `column`; both columns are indexed, so each chunk is an index lookup. */
  private async valuesInLedger(
    manager: EntityManager,
    column: 'idempotency_key' | 'user_id',
    values: string[],
  ): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < values.length; start += ROWS_PER_STATEMENT) {
      const chunk = values.slice(start, start + ROWS_PER_STATEMENT);
      const rows = await manager
        .getRepository(LedgerEntryEntity)
        .createQueryBuilder('entry')
        .select(`DISTINCT entry.${column}`, 'value')
        .where(`entry.${column} IN (:...chunk)`, { chunk })
        .getRawMany<{ value: string }>();
      for (const row of rows) found.add(row.value);
    }
    return found;
  }

  /** A user's entry by id; another user's is as absent as a missing one. */
  findEntryOf(tx: Tx, userId: string, id: number): Promise<LedgerEntryEntity | null> {
    return managerOf(tx).getRepository(LedgerEntryEntity).findOneBy({ id, userId });
  }

  /** Micro-credits already taken back from a top-up by refunds and chargebacks (a positive number). */
  async reversedAmount(tx: Tx, entryId: number): Promise<number> {
    const row = await managerOf(tx)
      .getRepository(LedgerEntryEntity)
      .createQueryBuilder('entry')
      .select('COALESCE(SUM(entry.amount), 0)', 'total')
      .where('entry.reverses_entry_id = :entryId', { entryId })
      .getRawOne<{ total: string | number }>();
    return -Number(row?.total ?? 0);
  }

  /** The entries that reverse this top-up, oldest first. */
  reversalsOf(entryIds: number[]): Promise<LedgerEntryEntity[]> {
    if (entryIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(LedgerEntryEntity)
      .find({ where: { reversesEntryId: In(entryIds) }, order: { id: 'ASC' } });
  }

  findAccount(userId: string): Promise<AccountEntity | null> {
    return this.dataSource.getRepository(AccountEntity).findOneBy({ userId });
  }

  /** A user's entries newest first, from just below `before` (an entry id) when given. */
  listEntries(userId: string, before: number | undefined, limit: number): Promise<LedgerEntryEntity[]> {
    const query = this.dataSource
      .getRepository(LedgerEntryEntity)
      .createQueryBuilder('entry')
      .where('entry.user_id = :userId', { userId });
    if (before !== undefined) query.andWhere('entry.id < :before', { before });
    return query.orderBy('entry.id', 'DESC').limit(limit).getMany();
  }

  listAccounts(filter?: AccountStatusFilter): Promise<AccountEntity[]> {
    const query = this.dataSource.getRepository(AccountEntity).createQueryBuilder('account');
    if (filter) {
      query.where({ billingSuspendedAtMs: filter.suspended ? Not(IsNull()) : IsNull() });
      if (filter.hasEntries !== undefined) {
        const entries = query
          .subQuery()
          .select('1')
          .from(LedgerEntryEntity, 'entry')
          .where('entry.user_id = account.user_id')
          .getQuery();
        query.andWhere(`${filter.hasEntries ? '' : 'NOT '}EXISTS ${entries}`);
      }
      if (filter.balanceAbove !== undefined) {
        query.andWhere('account.balance > :above', { above: filter.balanceAbove });
      }
      if (filter.balanceAtMost !== undefined) {
        query.andWhere('account.balance <= :atMost', { atMost: filter.balanceAtMost });
      }
    }
    return query.orderBy('account.user_id', 'ASC').getMany();
  }
}
