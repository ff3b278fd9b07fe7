import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { BillingModule } from '../billing/billing.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { SettingsModule } from '../settings/settings.module';
import { AutoTopUpDeliveryService } from './auto-top-up-delivery.service';
import { AutoTopUpTriggerService } from './auto-top-up-trigger.service';
import { PAYMENTS_ENTITIES } from './auto-top-up.entities';
import { AutoTopUpRepository } from './auto-top-up.repository';
import { AutoTopUpService } from './auto-top-up.service';
import { MeAutoTopUpController } from './me-auto-top-up.controller';

/**
 * Auto top-up through the host's optional PaymentGateway: the user's rule, the decision after balance changes and
 * billing runs (domain events: billing does not know this feature), and the charge as an outbox 'payment' row whose
 * success is credited through the ledger. Exports the rule's service (the demo's page) and the trigger (a run by hand).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(PAYMENTS_ENTITIES),
    SettingsModule,
    CurrenciesModule,
    AccountsModule,
    BillingModule,
  ],
  controllers: [MeAutoTopUpController],
  providers: [AutoTopUpRepository, AutoTopUpService, AutoTopUpTriggerService, AutoTopUpDeliveryService],
  exports: [AutoTopUpService, AutoTopUpTriggerService, AutoTopUpDeliveryService],
})
export class PaymentsModule {}
