import { Body, Controller, Get, Param, Post, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard, Viewer } from '../common/auth';
import { formatCredits, toMoney } from '../common/money';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import {
  AccountCreditDto,
  AccountCreditResponseDto,
  AccountListQueryDto,
  AccountSummaryResponseDto,
  mapAdminLedgerEntry,
} from './account.dto';
import { AccountService } from './account.service';
import { UserIdPipe } from './user-id.pipe';

@ApiTags('admin: accounts')
@Controller('admin/accounts')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class AdminAccountsController {
  constructor(private readonly accounts: AccountService) {}

  @Get()
  async list(@Query() query: AccountListQueryDto): Promise<AccountSummaryResponseDto[]> {
    const { accounts, currency } = await this.accounts.list(query.status);
    return accounts.map(({ account, status }) => ({
      userId: account.userId,
      credits: formatCredits(account.balance),
      balance: toMoney(account.balance, currency),
      status,
    }));
  }

  /** 201 when the credit was posted; 200 with the first entry when the reference was already used. */
  @Post(':userId/credits')
  async credit(
    @Param('userId', UserIdPipe) userId: string,
    @Body() dto: AccountCreditDto,
    @Viewer() admin: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccountCreditResponseDto> {
    const { entry, created, balance, view } = await this.accounts.credit(userId, dto, admin);
    response.status(created ? 201 : 200);
    return { entry: mapAdminLedgerEntry(entry, view.money), balance: view.money(balance), created };
  }
}
