import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { AdminPromoCodesController } from './admin-promo-codes.controller';
import { MePromoCodesController } from './me-promo-codes.controller';
import { PROMOTION_ENTITIES } from './promo-code.entity';
import { PromoCodeRepository } from './promo-code.repository';
import { PromoCodeService } from './promo-code.service';

/** Promo codes, redeemed for promotional credit grants (which live in accounts, with the ledger). */
@Module({
  imports: [TypeOrmModule.forFeature(PROMOTION_ENTITIES), AccountsModule, CurrenciesModule],
  controllers: [AdminPromoCodesController, MePromoCodesController],
  providers: [PromoCodeRepository, PromoCodeService],
  exports: [PromoCodeService],
})
export class PromotionsModule {}
