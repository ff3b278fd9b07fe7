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
  AdminLedgerPageResponseDto,
  LedgerQueryDto,
  mapAdminLedgerEntry,
  mapCreditSplit,
} from './account.dto';
import { AccountService } from './account.service';
import { GrantService } from './grants/grant.service';
import { UserIdPipe } from './user-id.pipe';

@ApiTags('admin: accounts')
@Controller('admin/accounts')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class AdminAccountsController {
  constructor(
    private readonly accounts: AccountService,
    private readonly grants: GrantService,
  ) {}

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

  /** One account's ledger, paged like GET /me/ledger, with the balance it adds up to and what each top-up has left. */
  @Get(':userId/ledger')
  async ledger(
    @Param('userId', UserIdPipe) userId: string,
    @Query() query: LedgerQueryDto,
  ): Promise<AdminLedgerPageResponseDto> {
    const [{ entries, nextBefore, view }, { balance, status }, split] = await Promise.all([
      this.accounts.ledgerPage(userId, query.limit, query.before),
      this.accounts.account(userId),
      this.grants.creditOf(userId),
    ]);
    const refundable = await this.accounts.refundableOf(entries);
    return {
      entries: entries.map((entry) => {
        const left = refundable.get(entry.id);
        return { ...mapAdminLedgerEntry(entry, view.money), refundable: left === undefined ? null : view.money(left) };
      }),
      nextBefore,
      balance: view.money(balance),
      status,
      credit: mapCreditSplit(split, view.money),
    };
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
