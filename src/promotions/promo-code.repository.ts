import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { forUpdate } from '../common/database';
import { managerOf, type Tx } from '../common/tx';
import { PromoCodeEntity, PromoRedemptionEntity } from './promo-code.entity';

@Injectable()
export class PromoCodeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(tx: Tx, code: PromoCodeEntity): Promise<unknown> {
    return managerOf(tx).getRepository(PromoCodeEntity).insert(code);
  }

  find(code: string, tx?: Tx): Promise<PromoCodeEntity | null> {
    const manager = tx ? managerOf(tx) : this.dataSource.manager;
    return manager.getRepository(PromoCodeEntity).findOneBy({ code });
  }

  /** The code under a row lock: every redemption of it takes turns here, so its limits are counted exactly. */
  lock(tx: Tx, code: string): Promise<PromoCodeEntity | null> {
    const query = managerOf(tx).getRepository(PromoCodeEntity).createQueryBuilder('promo');
    return forUpdate(query.where('promo.code = :code', { code })).getOne();
  }

  list(): Promise<PromoCodeEntity[]> {
    return this.dataSource.getRepository(PromoCodeEntity).find({ order: { createdAtMs: 'DESC', code: 'ASC' } });
  }

  async countRedemption(tx: Tx, code: string, redemptions: number): Promise<void> {
    await managerOf(tx).getRepository(PromoCodeEntity).update({ code }, { redemptions });
  }

  endAt(tx: Tx, code: string, codeExpiresAtMs: number): Promise<unknown> {
    return managerOf(tx).getRepository(PromoCodeEntity).update({ code }, { codeExpiresAtMs });
  }

  redemptionByReference(tx: Tx, userId: string, reference: string): Promise<PromoRedemptionEntity | null> {
    return managerOf(tx).getRepository(PromoRedemptionEntity).findOneBy({ userId, reference });
  }

  countOfUser(tx: Tx, code: string, userId: string): Promise<number> {
    return managerOf(tx).getRepository(PromoRedemptionEntity).countBy({ code, userId });
  }

  insertRedemption(tx: Tx, redemption: Omit<PromoRedemptionEntity, 'id'>): Promise<unknown> {
    return managerOf(tx).getRepository(PromoRedemptionEntity).insert(redemption);
  }

  redemptionsOf(userId: string): Promise<PromoRedemptionEntity[]> {
    return this.dataSource.getRepository(PromoRedemptionEntity).find({ where: { userId }, order: { id: 'DESC' } });
  }
}
