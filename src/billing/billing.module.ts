import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '../accounts/accounts.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { InstancesModule } from '../instances/instances.module';
import { MeteringModule } from '../metering/metering.module';
import { SettingsModule } from '../settings/settings.module';
import { BILLING_ENTITIES } from './billing.entities';
import { EmailRenderer } from './notifications/email-renderer';
import { OUTBOX_PROVIDERS } from './outbox/outbox.providers';
import { OutboxService } from './outbox/outbox.service';
import { PROOF_CONTROLLERS, PROOF_PROVIDERS } from './proof/proof.providers';
import { HostEventsController } from './rerating/host-events.controller';
import { LateEventService } from './rerating/late-event.service';
import { RuleRerateService } from './rerating/rule-rerate.service';
import { BillingCron } from './run/billing.cron';
import { BillingRunController } from './run/billing-run.controller';
import { BillingRunService } from './run/billing-run.service';
import { GrantExpiryService } from './grants/grant-expiry.service';
import { LateUsageService } from './settlement/late-usage.service';
import { MeteredHourService } from './settlement/metered-hour.service';
import { SettlementRepository } from './settlement/settlement.repository';
import { SettlementService } from './settlement/settlement.service';
import { LiveCostService } from './thresholds/live-cost.service';
import { THRESHOLD_PROVIDERS } from './thresholds/threshold.providers';

/**
 * Metering, settlement, thresholds, re-rating, the proof and the outbox. Exports the settlement and the run (public
 * API), the outbox, through which placement and the wizard queue their calls to the host, and the host events'
 * service, which the AMQP consumer calls as the HTTP controller does, and what live instances cost from now on (the
 * widget's burn rate and runway), and the email renderer, with which payments renders its failure email.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(BILLING_ENTITIES),
    SettingsModule,
    CurrenciesModule,
    CatalogModule,
    InstancesModule,
    MeteringModule,
    AccountsModule,
  ],
  controllers: [BillingRunController, HostEventsController, ...PROOF_CONTROLLERS],
  providers: [
    ...OUTBOX_PROVIDERS,
    SettlementRepository,
    SettlementService,
    MeteredHourService,
    LateUsageService,
    GrantExpiryService,
    ...THRESHOLD_PROVIDERS,
    BillingRunService,
    BillingCron,
    LateEventService,
    RuleRerateService,
    ...PROOF_PROVIDERS,
  ],
  exports: [SettlementService, BillingRunService, OutboxService, LateEventService, LiveCostService, EmailRenderer],
})
export class BillingModule {}
