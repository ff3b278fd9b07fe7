import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { SETTINGS_ROW_ID, SettingsEntity } from './settings.entity';
import { forUpdate } from '../common/database';
import { inTransaction } from '../common/transactions';

@Injectable()
export class SettingsRepository {
  constructor(
    @InjectRepository(SettingsEntity) private readonly rows: Repository<SettingsEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The migration inserts the row, so it is always there. */
  get(): Promise<SettingsEntity> {
    return this.rows.findOneByOrFail({ id: SETTINGS_ROW_ID });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  /** The row as committed, locked until the transaction ends, so a change is checked against what it replaces. */
  lock(manager: EntityManager): Promise<SettingsEntity> {
    const query = manager.getRepository(SettingsEntity).createQueryBuilder('settings');
    return forUpdate(query.where('settings.id = :id', { id: SETTINGS_ROW_ID })).getOneOrFail();
  }

  save(settings: SettingsEntity, manager: EntityManager): Promise<SettingsEntity> {
    return manager.getRepository(SettingsEntity).save(settings);
  }
}
