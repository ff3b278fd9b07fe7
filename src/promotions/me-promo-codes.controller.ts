import { Body, Controller, Post, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountService } from '../accounts/account.service';
import { UserGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import type { AuthenticatedUser } from '../host/ports';
import { PromoCodeRedeemDto, type PromoRedemptionResponseDto } from './promo-code.dto';
import { isoOrNull } from './promo-code.mapper';
import { PromoCodeService } from './promo-code.service';

@ApiTags('me')
@Controller('me/promo-codes')
@UseGuards(UserGuard)
@UsePipes(createValidationPipe())
export class MePromoCodesController {
  constructor(
    private readonly promoCodes: PromoCodeService,
    private readonly accounts: AccountService,
  ) {}

  /** 201 with the credit granted; 200 when this reference redeemed before (nothing new is granted). */
  @Post('redeem')
  async redeem(
    @Body() dto: PromoCodeRedeemDto,
    @Viewer() viewer: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PromoRedemptionResponseDto> {
    const redemption = await this.promoCodes.redeem(viewer.id, dto);
    const { balance, view } = await this.accounts.account(viewer.id);
    response.status(redemption.created ? 201 : 200);
    return {
      code: redemption.code.code,
      amount: view.money(redemption.amount),
      creditExpiresAt: isoOrNull(redemption.creditExpiresAtMs),
      created: redemption.created,
      balance: view.money(balance),
    };
  }
}
