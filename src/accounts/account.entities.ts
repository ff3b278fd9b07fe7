import { AccountEntity, LedgerEntryEntity } from './account.entity';
import { CreditGrantEntity, GrantDrawEntity } from './grants/credit-grant.entity';

export const ACCOUNT_ENTITIES = [AccountEntity, LedgerEntryEntity, CreditGrantEntity, GrantDrawEntity];
