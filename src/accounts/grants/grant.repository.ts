import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { bulkInsert } from '../../common/bulk-write';
import { forUpdate } from '../../common/database';
import { managerOf, managerOr, type Tx } from '../../common/tx';
import { CreditGrantEntity, GrantDrawEntity } from './credit-grant.entity';

export type NewCreditGrant = Omit<CreditGrantEntity, 'id'>;

const USERS_PER_STATEMENT = 500;

/** Credit grants and their draws. Writers hold the owning account's row lock, so reads here need no lock. */
@Injectable()
export class GrantRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Open grants with something left, of these users. Inside a unit of work a locking read: under REPEATABLE READ a
   * plain SELECT would read the snapshot of the transaction's first read, and miss a grant committed since (a debit
   * would then fall on plain credit while the grant kept its remainder for its expiry to take).
   */
  async openGrants(tx: Tx | undefined, userIds: string[]): Promise<CreditGrantEntity[]> {
    const grants: CreditGrantEntity[] = [];
    const manager = managerOr(tx, this.dataSource);
    for (let start = 0; start < userIds.length; start += USERS_PER_STATEMENT) {
      const chunk = userIds.slice(start, start + USERS_PER_STATEMENT);
      const query = manager
        .getRepository(CreditGrantEntity)
        .createQueryBuilder('grant')
        .where('grant.user_id IN (:...chunk)', { chunk })
        .andWhere('grant.closed_at_ms IS NULL')
        .andWhere('grant.remaining > 0');
      grants.push(...(await (tx ? forUpdate(query) : query).getMany()));
    }
    return grants;
  }

  async insertGrant(tx: Tx, grant: NewCreditGrant): Promise<CreditGrantEntity> {
    const repository = managerOf(tx).getRepository(CreditGrantEntity);
    await repository.insert(grant);
    return repository.findOneByOrFail({ idempotencyKey: grant.idempotencyKey });
  }

  async insertDraws(tx: Tx, draws: GrantDrawEntity[]): Promise<void> {
    await bulkInsert(managerOf(tx), GrantDrawEntity, draws);
  }

  /** Writes each grant's new remainder; the caller computed it under the account's lock. */
  async setRemaining(tx: Tx, remaining: Map<number, number>): Promise<void> {
    for (const [id, value] of remaining) {
      await managerOf(tx).getRepository(CreditGrantEntity).update({ id }, { remaining: value });
    }
  }

  findByKey(tx: Tx | undefined, idempotencyKey: string): Promise<CreditGrantEntity | null> {
    return managerOr(tx, this.dataSource).getRepository(CreditGrantEntity).findOneBy({ idempotencyKey });
  }

  lockGrant(tx: Tx, id: number): Promise<CreditGrantEntity | null> {
    const query = managerOf(tx).getRepository(CreditGrantEntity).createQueryBuilder('grant');
    return forUpdate(query.where('grant.id = :id', { id })).getOne();
  }

  close(tx: Tx, id: number, closedAtMs: number): Promise<unknown> {
    return managerOf(tx).getRepository(CreditGrantEntity).update({ id }, { remaining: 0, closedAtMs });
  }

  /** Open grants whose expiry has come, by id after `afterId`. */
  expiredOpen(nowMs: number, afterId: number, limit: number): Promise<CreditGrantEntity[]> {
    return this.dataSource
      .getRepository(CreditGrantEntity)
      .createQueryBuilder('grant')
      .where('grant.closed_at_ms IS NULL')
      .andWhere('grant.expires_at_ms <= :nowMs', { nowMs })
      .andWhere('grant.id > :afterId', { afterId })
      .orderBy('grant.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Every grant of a user, newest first (open and closed). */
  grantsOf(userId: string): Promise<CreditGrantEntity[]> {
    return this.dataSource.getRepository(CreditGrantEntity).find({ where: { userId }, order: { id: 'DESC' } });
  }

  drawsOf(entryKeys: string[]): Promise<GrantDrawEntity[]> {
    if (entryKeys.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(GrantDrawEntity).findBy({ entryKey: In(entryKeys) });
  }

  /** Open grants of a user, for the account view (no lock: a reading only). */
  openGrantsOf(userId: string): Promise<CreditGrantEntity[]> {
    return this.dataSource.getRepository(CreditGrantEntity).findBy({ userId, closedAtMs: IsNull() });
  }
}
