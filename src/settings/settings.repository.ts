import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SETTINGS_ROW_ID, SettingsEntity } from './settings.entity';

@Injectable()
export class SettingsRepository {
  constructor(@InjectRepository(SettingsEntity) private readonly rows: Repository<SettingsEntity>) {}

  /** The migration inserts the row, so it is always there. */
  get(): Promise<SettingsEntity> {
    return this.rows.findOneByOrFail({ id: SETTINGS_ROW_ID });
  }

  async save(settings: SettingsEntity): Promise<SettingsEntity> {
    return this.rows.save(settings);
  }
}
