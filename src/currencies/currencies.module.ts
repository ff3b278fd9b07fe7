import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CurrencyController } from './currency.controller';
import { CURRENCY_ENTITIES } from './currency.entities';
import { CurrencyRepository } from './currency.repository';
import { CurrencyService } from './currency.service';
import { PreferencesController } from './preferences.controller';
import { ViewerCurrencyService } from './viewer-currency.service';

/** Display currencies and each user's choice among them. */
@Module({
  imports: [TypeOrmModule.forFeature(CURRENCY_ENTITIES)],
  controllers: [CurrencyController, PreferencesController],
  providers: [CurrencyRepository, CurrencyService, ViewerCurrencyService],
  exports: [CurrencyService, ViewerCurrencyService],
})
export class CurrenciesModule {}
