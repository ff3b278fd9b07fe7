import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DemoClock } from '../demo-clock';
import { PROMO_CODE_FIELDS } from './admin-account-forms';
import { PROMO_CODES_PATH, promoCodesView, savedNotice } from './admin-promo-codes-view';
import type { PromoCode } from './api-types';
import { FormBody, FormState, requestBody, typedValues } from './form-fields';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PanelSession, PanelUser } from './panel-session';
import { PluginApiError } from './plugin-api';

/** /panel/admin/promo-codes: the promo codes with their redemptions, a form to create one, "End now". Admins only. */
@ApiExcludeController()
@Controller('panel/admin/promo-codes')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class AdminPromoCodesPageController {
  constructor(
    private readonly session: PanelSession,
    private readonly clock: DemoClock,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Query() query: FormBody) {
    const user = this.session.admin(req, res);
    if (user) await this.render(res, user, 200, savedNotice(query.saved));
  }

  /** Saved → the list (303); refused → the form again, errors by the fields. */
  @Post()
  async create(@Req() req: Request, @Res() res: Response, @Body() body: FormBody) {
    const user = this.session.admin(req, res);
    if (!user) return;
    try {
      // The same code with the same terms again (a double submit) answers the code as it is: nothing changes.
      await user.api.post<PromoCode>('/admin/promo-codes', requestBody(PROMO_CODE_FIELDS, body));
      res.redirect(303, `${PROMO_CODES_PATH}?saved=created#codes`);
    } catch (error) {
      if (!(error instanceof PluginApiError) || error.status >= 500) throw error;
      const errors = error.errors.length ? error.errors : [{ field: '', rule: 'refused', message: error.message }];
      await this.render(res, user, error.status, null, { values: typedValues(PROMO_CODE_FIELDS, body), errors });
    }
  }

  @Post(':code/end')
  async end(@Req() req: Request, @Res() res: Response, @Param('code') code: string) {
    const user = this.session.admin(req, res);
    if (!user) return;
    await user.api.delete<PromoCode>(`/admin/promo-codes/${encodeURIComponent(code)}`);
    res.redirect(303, `${PROMO_CODES_PATH}?saved=ended#codes`);
  }

  private async render(res: Response, user: PanelUser, status: number, saved: string | null, state?: FormState) {
    const [layout, codes] = await Promise.all([
      this.session.layout(user, 'Promo codes', 'admin', PROMO_CODES_PATH),
      user.api.get<PromoCode[]>('/admin/promo-codes'),
    ]);
    const page = promoCodesView(codes, this.clock.now().getTime(), saved, state);
    this.session.send(res, status, 'admin-promo-codes', { layout, page });
  }
}
