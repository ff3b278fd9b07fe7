import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SETTINGS_ROW_ID, SettingsEntity } from './settings.entity';
import { forUpdate } from '../common/database';
import { managerOf, type Tx } from '../common/tx';

@Injectable()
export class SettingsRepository {
  constructor(@InjectRepository(SettingsEntity) private readonly rows: Repository<SettingsEntity>) {}

  /** The migration inserts the row, so it is always there. */
  get(): Promise<SettingsEntity> {
    return this.rows.findOneByOrFail({ id: SETTINGS_ROW_ID });
  }

  /** The row as committed, locked until the transaction ends, so a change is checked against what it replaces. */
  lock(tx: Tx): Promise<SettingsEntity> {
    const query = managerOf(tx).getRepository(SettingsEntity).createQueryBuilder('settings');
    return forUpdate(query.where('settings.id = :id', { id: SETTINGS_ROW_ID })).getOneOrFail();
  }

  save(tx: Tx, settings: SettingsEntity): Promise<SettingsEntity> {
    return managerOf(tx).getRepository(SettingsEntity).save(settings);
  }
}
