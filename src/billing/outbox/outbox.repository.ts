import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource } from 'typeorm';
import { managerOf, type Tx } from '../../common/tx';
import { OutboxEntity } from './outbox.entity';

export type NewOutboxRow = Omit<OutboxEntity, 'id'>;

/** The row as the delivery run saw it when it picked it; the claim succeeds only if it is still so. */
export interface SeenOutboxRow {
  id: string;
  attempts: number;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * INSERT IGNORE (MySQL) / INSERT … ON CONFLICT DO NOTHING (SQLite): a duplicate key is skipped without an
   * error, so the caller's MySQL transaction is not aborted and no savepoint is needed. True when inserted.
   * On MySQL, IGNORE would also turn over-long values into silent truncations; the service checks lengths first.
   */
  async insertIfAbsent(tx: Tx, row: NewOutboxRow): Promise<boolean> {
    const manager = managerOf(tx);
    const runner = manager.queryRunner;
    // Outside a transaction the row would commit on its own, even if what decided it then rolled back.
    if (!runner?.isTransactionActive) {
      throw new Error('the outbox enqueues only inside a transaction (pass the handle of a unit of work)');
    }
    const [sql, parameters] = manager
      .createQueryBuilder()
      .insert()
      .into(OutboxEntity)
      .values(row)
      .orIgnore()
      .updateEntity(false)
      .getQueryAndParameters();
    // The structured result carries the affected-row count, which InsertResult does not expose on SQLite.
    const result = await runner.query(sql, parameters, true);
    return result.affected === 1;
  }

  /** Pending rows due by `nowMs` and not leased, with ids above `afterId`, oldest first. */
  findDue(nowMs: number, afterId: string | null, limit: number): Promise<OutboxEntity[]> {
    const query = this.dataSource
      .getRepository(OutboxEntity)
      .createQueryBuilder('outbox')
      .where('outbox.status = :pending', { pending: 'pending' })
      .andWhere('outbox.next_attempt_at_ms <= :nowMs', { nowMs })
      .andWhere(notLeased(nowMs));
    if (afterId !== null) query.andWhere('outbox.id > :afterId', { afterId });
    return query.orderBy('outbox.id', 'ASC').limit(limit).getMany();
  }

  /**
   * Leases the row to this run until `leaseUntilMs`. A conditional UPDATE, so of several replicas claiming
   * at once exactly one changes the row; the attempts check also loses against a run that already retried it.
   */
  async claim(tx: Tx, row: SeenOutboxRow, nowMs: number, leaseUntilMs: number): Promise<boolean> {
    const result = await managerOf(tx)
      .createQueryBuilder()
      .update(OutboxEntity)
      .set({ leaseUntilMs })
      .where('id = :id AND status = :pending AND attempts = :attempts', {
        id: row.id,
        pending: 'pending',
        attempts: row.attempts,
      })
      .andWhere('next_attempt_at_ms <= :nowMs', { nowMs })
      .andWhere(notLeased(nowMs, ''))
      .execute();
    return result.affected === 1;
  }

  /** Written even if the lease ran out meanwhile: the port did accept it, and a second "done" changes nothing. */
  async markDone(tx: Tx, row: SeenOutboxRow, doneAtMs: number): Promise<void> {
    await managerOf(tx)
      .createQueryBuilder()
      .update(OutboxEntity)
      .set({ status: 'done', attempts: row.attempts + 1, doneAtMs, leaseUntilMs: null })
      .where('id = :id AND status = :pending', { id: row.id, pending: 'pending' })
      .execute();
  }

  /** Only while this run still holds its lease: a late failure must not reopen a row another run has taken. */
  async markFailed(
    tx: Tx,
    row: SeenOutboxRow,
    leaseUntilMs: number,
    error: string,
    nextAttemptAtMs: number,
  ): Promise<void> {
    await managerOf(tx)
      .createQueryBuilder()
      .update(OutboxEntity)
      .set({ attempts: row.attempts + 1, lastError: error, nextAttemptAtMs, leaseUntilMs: null })
      .where('id = :id AND status = :pending AND lease_until_ms = :leaseUntilMs', {
        id: row.id,
        pending: 'pending',
        leaseUntilMs,
      })
      .execute();
  }

  countPending(): Promise<number> {
    return this.dataSource.getRepository(OutboxEntity).countBy({ status: 'pending' });
  }
}

function notLeased(nowMs: number, alias = 'outbox.'): Brackets {
  return new Brackets((where) =>
    where
      .where(`${alias}lease_until_ms IS NULL`)
      .orWhere(`${alias}lease_until_ms < :leaseNowMs`, { leaseNowMs: nowMs }),
  );
}
