import { Body, Controller, Get, Param, ParseIntPipe, Post, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard, Viewer } from '../../common/auth';
import { createValidationPipe, invalidField } from '../../common/validation';
import { ViewerCurrencyService } from '../../currencies/viewer-currency.service';
import type { AuthenticatedUser } from '../../host/ports';
import { type AccountCreditResponseDto, mapAdminLedgerEntry } from '../account.dto';
import { AccountService } from '../account.service';
import { TopUpChargebackDto, TopUpRefundDto } from '../reversals/top-up-reversal.dto';
import { TopUpReversalService } from '../reversals/top-up-reversal.service';
import { UserIdPipe } from '../user-id.pipe';
import { AccountGrantDto, type CreditGrantResponseDto, mapCreditGrant } from './grant.dto';
import { GrantService } from './grant.service';

const EntryIdPipe = new ParseIntPipe({
  exceptionFactory: () => invalidField('entryId', 'isInt', 'must be a ledger entry id'),
});

/** Credit grants, refunds and chargebacks, as an admin gives and takes them. */
@ApiTags('admin: accounts')
@Controller('admin/accounts/:userId')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class AdminGrantsController {
  constructor(
    private readonly grants: GrantService,
    private readonly reversals: TopUpReversalService,
    private readonly accounts: AccountService,
    private readonly viewerCurrency: ViewerCurrencyService,
  ) {}

  /** 201 when posted; 200 with the first grant when the reference was already used. */
  @Post('grants')
  async grant(
    @Param('userId', UserIdPipe) userId: string,
    @Body() dto: AccountGrantDto,
    @Viewer() admin: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreditGrantResponseDto & { created: boolean }> {
    const { grant, created } = await this.grants.grant(userId, dto, admin);
    const view = await this.viewerCurrency.forUser(userId);
    response.status(created ? 201 : 200);
    return { ...mapCreditGrant(grant, view.money), created };
  }

  @Get('grants')
  async list(@Param('userId', UserIdPipe) userId: string): Promise<CreditGrantResponseDto[]> {
    const [grants, view] = await Promise.all([this.grants.grantsOf(userId), this.viewerCurrency.forUser(userId)]);
    return grants.map((grant) => mapCreditGrant(grant, view.money));
  }

  /** 201 when refunded; 200 with the first refund when its reference was already used. */
  @Post('ledger/:entryId/refunds')
  async refund(
    @Param('userId', UserIdPipe) userId: string,
    @Param('entryId', EntryIdPipe) entryId: number,
    @Body() dto: TopUpRefundDto,
    @Viewer() admin: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccountCreditResponseDto> {
    const reversal = await this.reversals.refund(userId, entryId, dto, admin);
    return this.answer(userId, reversal, response);
  }

  /** 201 when reversed; 200 with the first chargeback when the top-up was charged back before. */
  @Post('ledger/:entryId/chargeback')
  async chargeback(
    @Param('userId', UserIdPipe) userId: string,
    @Param('entryId', EntryIdPipe) entryId: number,
    @Body() dto: TopUpChargebackDto,
    @Viewer() admin: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AccountCreditResponseDto> {
    const reversal = await this.reversals.chargeback(userId, entryId, dto, admin);
    return this.answer(userId, reversal, response);
  }

  private async answer(
    userId: string,
    { entry, created }: { entry: Parameters<typeof mapAdminLedgerEntry>[0]; created: boolean },
    response: Response,
  ): Promise<AccountCreditResponseDto> {
    const { balance, view } = await this.accounts.account(userId);
    response.status(created ? 201 : 200);
    return { entry: mapAdminLedgerEntry(entry, view.money), balance: view.money(balance), created };
  }
}
