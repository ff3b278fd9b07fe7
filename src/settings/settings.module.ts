import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingsController } from './settings.controller';
import { SettingsEntity } from './settings.entity';
import { SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';

/** The plugin's settings row; every feature reads it through SettingsService. */
@Module({
  imports: [TypeOrmModule.forFeature([SettingsEntity])],
  controllers: [SettingsController],
  providers: [SettingsRepository, SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
