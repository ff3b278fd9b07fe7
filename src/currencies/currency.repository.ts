import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CurrencyEntity, UserPreferenceEntity } from './currency.entity';
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

  insert(currency: CurrencyEntity): Promise<CurrencyEntity> {
    return inTransaction(this.dataSource, (manager) =>
      this.currencies(manager).save(this.currencies(manager).create(currency)),
    );
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  save(currency: CurrencyEntity, manager?: EntityManager): Promise<CurrencyEntity> {
    return this.currencies(manager).save(currency);
  }

  async remove(code: string, manager: EntityManager): Promise<void> {
    await this.currencies(manager).delete({ code });
  }

  /** Moves the default marker in one transaction; the unique index forbids two defaults at any moment. */
  async moveDefault(code: string, manager: EntityManager): Promise<void> {
    await this.currencies(manager).update({ defaultMarker: 1 }, { defaultMarker: null });
    await this.currencies(manager).update({ code }, { defaultMarker: 1 });
  }

  /** Users who preferred this currency follow the default from now on. */
  async resetPreferences(code: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(UserPreferenceEntity).update({ currencyCode: code }, { currencyCode: null });
  }

  findPreference(userId: string): Promise<UserPreferenceEntity | null> {
    return this.dataSource.getRepository(UserPreferenceEntity).findOneBy({ userId });
  }

  async savePreference(userId: string, currencyCode: string | null): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      manager.getRepository(UserPreferenceEntity).upsert({ userId, currencyCode }, ['userId']),
    );
  }
}
