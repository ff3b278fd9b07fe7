import { Body, Controller, Delete, Get, Param, Post, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminGuard, Viewer } from '../common/auth';
import { createValidationPipe } from '../common/validation';
import { ViewerCurrencyService } from '../currencies/viewer-currency.service';
import type { AuthenticatedUser } from '../host/ports';
import { PromoCodeCreateDto, type PromoCodeResponseDto } from './promo-code.dto';
import { mapPromoCode } from './promo-code.mapper';
import { PromoCodeService } from './promo-code.service';

@ApiTags('admin: promo codes')
@Controller('admin/promo-codes')
@UseGuards(AdminGuard)
@UsePipes(createValidationPipe())
export class AdminPromoCodesController {
  constructor(
    private readonly promoCodes: PromoCodeService,
    private readonly viewerCurrency: ViewerCurrencyService,
  ) {}

  /** 201 when created; 200 when the same code with the same terms exists already. */
  @Post()
  async create(
    @Body() dto: PromoCodeCreateDto,
    @Viewer() admin: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PromoCodeResponseDto> {
    const { code, created } = await this.promoCodes.create(dto, admin);
    response.status(created ? 201 : 200);
    return mapPromoCode(code, (await this.viewerCurrency.forUser(admin.id)).money);
  }

  @Get()
  async list(@Viewer() admin: AuthenticatedUser): Promise<PromoCodeResponseDto[]> {
    const [codes, view] = await Promise.all([this.promoCodes.list(), this.viewerCurrency.forUser(admin.id)]);
    return codes.map((code) => mapPromoCode(code, view.money));
  }

  /** Ends the code now; what it granted stays. */
  @Delete(':code')
  async end(@Param('code') code: string, @Viewer() admin: AuthenticatedUser): Promise<PromoCodeResponseDto> {
    const ended = await this.promoCodes.end(code.trim().toUpperCase());
    return mapPromoCode(ended, (await this.viewerCurrency.forUser(admin.id)).money);
  }
}
