import { AccountEntity, LedgerEntryEntity } from './account.entity';

export const ACCOUNT_ENTITIES = [AccountEntity, LedgerEntryEntity];
