import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BillingModule } from '../billing/billing.module';
import { BudgetsModule } from '../budgets/budgets.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CurrenciesModule } from '../currencies/currencies.module';
import { InstancesModule } from '../instances/instances.module';
import { MeteringModule } from '../metering/metering.module';
import { PlacementModule } from '../placement/placement.module';
import { SettingsModule } from '../settings/settings.module';
import { CreationCreditService } from './creation-credit.service';
import { InstanceCreationService } from './instance-creation.service';
import { MeInstancesController } from './me-instances.controller';
import { MyInstancesService } from './my-instances.service';
import { OfferService } from './offer.service';
import { ResizeService } from './resize.service';
import { WizardController } from './wizard.controller';
import { WizardService } from './wizard.service';

/** The user's side: quotes, creating, resizing and terminating their own instances. Exports nothing. */
@Module({
  imports: [
    AccountsModule,
    BillingModule,
    BudgetsModule,
    CatalogModule,
    CurrenciesModule,
    InstancesModule,
    MeteringModule,
    PlacementModule,
    SettingsModule,
  ],
  controllers: [WizardController, MeInstancesController],
  providers: [
    CreationCreditService,
    OfferService,
    WizardService,
    InstanceCreationService,
    MyInstancesService,
    ResizeService,
  ],
})
export class WizardModule {}
