import { Controller, Get, Query, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import {
  AccountResponseDto,
  mapCreditSplit,
  LedgerPageResponseDto,
  LedgerQueryDto,
  mapLedgerEntry,
} from './account.dto';
import { AccountService } from './account.service';
import { GrantService } from './grants/grant.service';

/** The signed-in user's own account; there is no way to name another user here. */
@ApiTags('me')
@Controller('me')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class MeAccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly grants: GrantService,
  ) {}

  @Get('account')
  async account(@Viewer() viewer: AuthenticatedUser): Promise<AccountResponseDto> {
    const [{ balance, status, view }, split] = await Promise.all([
      this.accounts.account(viewer.id),
      this.grants.creditOf(viewer.id),
    ]);
    return {
      balance: view.money(balance),
      status,
      currency: view.currency.code,
      credit: mapCreditSplit(split, view.money),
    };
  }

  @Get('ledger')
  async ledger(@Viewer() viewer: AuthenticatedUser, @Query() query: LedgerQueryDto): Promise<LedgerPageResponseDto> {
    const { entries, nextBefore, view } = await this.accounts.ledgerPage(viewer.id, query.limit, query.before);
    return { entries: entries.map((entry) => mapLedgerEntry(entry, view.money)), nextBefore };
  }
}
