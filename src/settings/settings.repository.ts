import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { SETTINGS_ROW_ID, SettingsEntity } from './settings.entity';
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

  async save(settings: SettingsEntity): Promise<SettingsEntity> {
    return inTransaction(this.dataSource, (manager) => manager.getRepository(SettingsEntity).save(settings));
  }
}
