import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CurrenciesModule } from '../currencies/currencies.module';
import { SettingsModule } from '../settings/settings.module';
import { AccountStateService } from './account-state.service';
import { AccountThresholdStateRepository } from './account-threshold-state.repository';
import { AccountThresholdStateService } from './account-threshold-state.service';
import { ACCOUNT_ENTITIES } from './account.entities';
import { AccountRepository } from './account.repository';
import { AccountService } from './account.service';
import { AdminAccountsController } from './admin-accounts.controller';
import { AdminGrantsController } from './grants/admin-grants.controller';
import { GrantLedgerService } from './grants/grant-ledger.service';
import { GrantService } from './grants/grant.service';
import { GrantRepository } from './grants/grant.repository';
import { LedgerService } from './ledger.service';
import { MeAccountController } from './me-account.controller';
import { TopUpReversalService } from './reversals/top-up-reversal.service';

/** Balances and the ledger. LedgerService is how billing posts its hourly charges. */
@Module({
  imports: [TypeOrmModule.forFeature(ACCOUNT_ENTITIES), SettingsModule, CurrenciesModule],
  controllers: [AdminAccountsController, AdminGrantsController, MeAccountController],
  providers: [
    AccountRepository,
    AccountThresholdStateRepository,
    GrantRepository,
    GrantLedgerService,
    LedgerService,
    AccountService,
    GrantService,
    TopUpReversalService,
    AccountStateService,
    AccountThresholdStateService,
  ],
  exports: [LedgerService, AccountService, GrantService, AccountStateService, AccountThresholdStateService],
})
export class AccountsModule {}
