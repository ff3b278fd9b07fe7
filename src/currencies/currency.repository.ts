import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CurrencyEntity, UserPreferenceEntity } from './currency.entity';
import { forUpdate } from '../common/database';
import { managerOf, managerOr, type Tx } from '../common/tx';

@Injectable()
export class CurrencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private currencies(tx?: Tx) {
    return managerOr(tx, this.dataSource).getRepository(CurrencyEntity);
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
    return this.currencies().findOneBy({ isDefault: true });
  }

  /**
   * Every currency, as committed, locked in code order until the transaction ends. The table holds a
   * handful of rows and any change may move or test the default, so each admin change takes them all,
   * always in the same order: concurrent changes queue behind each other instead of deadlocking.
   */
  lockAll(tx: Tx): Promise<CurrencyEntity[]> {
    return forUpdate(this.currencies(tx).createQueryBuilder('currency').orderBy('currency.code', 'ASC')).getMany();
  }

  /** One currency, locked like `lockAll` does, so an admin's change cannot slip in before the caller commits. */
  lockOne(tx: Tx, code: string): Promise<CurrencyEntity | null> {
    return forUpdate(
      this.currencies(tx).createQueryBuilder('currency').where('currency.code = :code', { code }),
    ).getOne();
  }

  insert(tx: Tx, currency: CurrencyEntity): Promise<CurrencyEntity> {
    return this.currencies(tx).save(this.currencies(tx).create(currency));
  }

  save(tx: Tx, currency: CurrencyEntity): Promise<CurrencyEntity> {
    return this.currencies(tx).save(currency);
  }

  async remove(tx: Tx, code: string): Promise<void> {
    await this.currencies(tx).delete({ code });
  }

  /** Clears the old default before marking the new one: the unique index forbids two at any moment. */
  async moveDefault(tx: Tx, from: string | null, to: string): Promise<void> {
    if (from !== null) await this.currencies(tx).update({ code: from }, { isDefault: false });
    await this.currencies(tx).update({ code: to }, { isDefault: true });
  }

  /** Users who preferred this currency follow the default from now on. */
  async resetPreferences(tx: Tx, code: string): Promise<void> {
    await managerOf(tx).getRepository(UserPreferenceEntity).update({ currencyCode: code }, { currencyCode: null });
  }

  findPreference(userId: string): Promise<UserPreferenceEntity | null> {
    return this.dataSource.getRepository(UserPreferenceEntity).findOneBy({ userId });
  }

  async savePreference(tx: Tx, userId: string, currencyCode: string | null): Promise<void> {
    await managerOf(tx).getRepository(UserPreferenceEntity).upsert({ userId, currencyCode }, ['userId']);
  }
}
