import { AccountStateService } from './account-state.service';
import { AccountRepository } from './account.repository';
import { AccountService } from './account.service';
import { AdminAccountsController } from './admin-accounts.controller';
import { LedgerService } from './ledger.service';
import { MeAccountController } from './me-account.controller';

export const ACCOUNT_CONTROLLERS = [AdminAccountsController, MeAccountController];
/** LedgerService is public: the billing engine posts its hourly charges through it. */
export const ACCOUNT_PROVIDERS = [AccountRepository, LedgerService, AccountService, AccountStateService];
