import { Controller, Get, Query, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { AccountResponseDto, LedgerPageResponseDto, LedgerQueryDto, mapLedgerEntry } from './account.dto';
import { AccountService } from './account.service';

/** The signed-in user's own account; there is no way to name another user here. */
@ApiTags('me')
@Controller('me')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class MeAccountController {
  constructor(private readonly accounts: AccountService) {}

  @Get('account')
  async account(@Viewer() viewer: AuthenticatedUser): Promise<AccountResponseDto> {
    const { balance, status, view } = await this.accounts.account(viewer.id);
    return { balance: view.money(balance), status, currency: view.currency.code };
  }

  @Get('ledger')
  async ledger(@Viewer() viewer: AuthenticatedUser, @Query() query: LedgerQueryDto): Promise<LedgerPageResponseDto> {
    const { entries, nextBefore, view } = await this.accounts.ledgerPage(viewer.id, query.limit, query.before);
    return { entries: entries.map((entry) => mapLedgerEntry(entry, view.money)), nextBefore };
  }
}
