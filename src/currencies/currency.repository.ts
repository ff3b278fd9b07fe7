import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CurrencyEntity, UserPreferenceEntity } from './currency.entity';
import { forUpdate } from '../common/database';
import { inTransaction } from '../common/transactions';

@Injectable()
export class CurrencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private currencies(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(CurrencyEntity);
  }

  list(): Promise<CurrencyEntity[]> {
    return this.currencies().find({ order: { code: 'ASC' } });
  }

  listEnabled(): Promise<CurrencyEntity[]> {
    return this.currencies().find({ where: { enabled: true }, order: { code: 'ASC' } });
  }

  find(code: string): Promise<CurrencyEntity | null> {
    return this.currencies().findOneBy({ code });
  }

  findDefault(): Promise<CurrencyEntity | null> {
    return this.currencies().findOneBy({ defaultMarker: 1 });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  /**
   * Every currency, as committed, locked in code order until the transaction ends. The table holds a
   * handful of rows and any change may move or test the default, so each admin change takes them all,
   * always in the same order: concurrent changes queue behind each other instead of deadlocking.
   */
  lockAll(manager: EntityManager): Promise<CurrencyEntity[]> {
    return forUpdate(this.currencies(manager).createQueryBuilder('currency').orderBy('currency.code', 'ASC')).getMany();
  }

  /** One currency, locked like `lockAll` does, so an admin's change cannot slip in before the caller commits. */
  lockOne(code: string, manager: EntityManager): Promise<CurrencyEntity | null> {
    return forUpdate(
      this.currencies(manager).createQueryBuilder('currency').where('currency.code = :code', { code }),
    ).getOne();
  }

  insert(currency: CurrencyEntity, manager: EntityManager): Promise<CurrencyEntity> {
    return this.currencies(manager).save(this.currencies(manager).create(currency));
  }

  save(currency: CurrencyEntity, manager: EntityManager): Promise<CurrencyEntity> {
    return this.currencies(manager).save(currency);
  }

  async remove(code: string, manager: EntityManager): Promise<void> {
    await this.currencies(manager).delete({ code });
  }

  /** Clears the old default before marking the new one: the unique index forbids two at any moment. */
  async moveDefault(from: string | null, to: string, manager: EntityManager): Promise<void> {
    if (from !== null) await this.currencies(manager).update({ code: from }, { defaultMarker: null });
    await this.currencies(manager).update({ code: to }, { defaultMarker: 1 });
  }

  /** Users who preferred this currency follow the default from now on. */
  async resetPreferences(code: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(UserPreferenceEntity).update({ currencyCode: code }, { currencyCode: null });
  }

  findPreference(userId: string): Promise<UserPreferenceEntity | null> {
    return this.dataSource.getRepository(UserPreferenceEntity).findOneBy({ userId });
  }

  async savePreference(userId: string, currencyCode: string | null, manager: EntityManager): Promise<void> {
    await manager.getRepository(UserPreferenceEntity).upsert({ userId, currencyCode }, ['userId']);
  }
}
