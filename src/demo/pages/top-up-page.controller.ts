import { Body, Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DEMO_CONFIG, type DemoConfig } from '../demo.config';
import type { MyAccount } from './api-types';
import { fieldMessages, type FormBody } from './form-fields';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PANEL_ROUTES, PanelSession, PanelUser } from './panel-session';
import { PluginApi, PluginApiError } from './plugin-api';

const POSITIVE_AMOUNT = /^\d{1,9}(\.\d{1,9})?$/;

/**
 * /panel/top-up, where the widget's "Top up" link leads: a simulated payment. A real host takes the payment,
 * then credits the account server-side with its own admin identity (POST /admin/accounts/:userId/credits,
 * the payment id as the reference); the demo does the same with its first DEMO_ADMINS id.
 */
@ApiExcludeController()
@Controller('panel/top-up')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class TopUpPageController {
  constructor(
    private readonly session: PanelSession,
    private readonly pluginApi: PluginApi,
    @Inject(DEMO_CONFIG) private readonly config: DemoConfig,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    await this.render(res, user, 200, '', []);
  }

  @Post()
  async pay(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const amount = typeof body.amount === 'string' ? body.amount.trim() : '';
    if (!POSITIVE_AMOUNT.test(amount) || Number(amount) <= 0) {
      return this.render(res, user, 400, amount, ['Enter an amount above 0, for example 10 or 12.50.']);
    }
    const admin = this.config.admins[0];
    if (!admin) throw new PluginApiError(409, 'The demo has no admin (DEMO_ADMINS) to credit your account.');
    const account = await user.api.get<MyAccount>('/me/account');
    const reference = typeof body.reference === 'string' ? body.reference : '';
    try {
      await this.pluginApi.forUser(req, admin).post(`/admin/accounts/${encodeURIComponent(user.viewer.id)}/credits`, {
        currencyAmount: amount,
        currency: account.currency,
        reference,
        note: 'Simulated payment on the demo top-up page',
      });
    } catch (error) {
      if (!(error instanceof PluginApiError) || error.status !== 400) throw error;
      const messages = [...fieldMessages('currencyAmount', error.errors), ...fieldMessages('reference', error.errors)];
      return this.render(res, user, 400, amount, messages.length ? messages : [error.message]);
    }
    res.redirect(303, `${PANEL_ROUTES.dashboard}?toppedUp=1`);
  }

  /** Redeems a promo code as the signed-in user (the plugin's own /me route: the user needs no admin). */
  @Post('promo-code')
  async redeem(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const code = typeof body.code === 'string' ? body.code.trim() : '';
    const reference = typeof body.promoReference === 'string' ? body.promoReference : undefined;
    try {
      await user.api.post('/me/promo-codes/redeem', { code, reference });
    } catch (error) {
      // Unknown (404), refused by the code's terms (409) or malformed (400): said beside the field.
      if (!(error instanceof PluginApiError) || ![400, 404, 409].includes(error.status)) throw error;
      const messages = error.forField('code');
      return this.render(res, user, error.status, '', [], {
        code,
        errors: messages.length ? messages : [error.message],
      });
    }
    res.redirect(303, `${PANEL_ROUTES.dashboard}?redeemed=1`);
  }

  private async render(
    res: Response,
    user: PanelUser,
    status: number,
    amount: string,
    errors: string[],
    promo: { code: string; errors: string[] } = { code: '', errors: [] },
  ) {
    const [layout, account] = await Promise.all([
      this.session.layout(user, 'Top up', null, '/panel/top-up'),
      user.api.get<MyAccount>('/me/account'),
    ]);
    this.session.send(res, status, 'top-up', {
      layout,
      account,
      amount,
      errors,
      // Made when the form is shown: sending the same form twice credits once.
      reference: `demo-payment-${randomUUID()}`,
      promo,
      promoReference: `demo-redeem-${randomUUID()}`,
    });
  }
}
