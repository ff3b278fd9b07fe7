import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AutoTopUp, MyAccount } from './api-types';
import { fieldMessages, type FormBody } from './form-fields';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PANEL_ROUTES, PanelSession, PanelUser } from './panel-session';
import { PluginApiError } from './plugin-api';

/** The form as typed: `value` is the fixed amount or the target, as `mode` says. */
type RuleForm = { threshold: string; value: string; monthlyLimit: string; mode: 'amount' | 'target' };

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/**
 * /panel/auto-top-up: the user's rule ("below X credits, top up Y — or up to T — at most Z a month") and the recent
 * attempts, through PUT/DELETE /me/auto-top-up. Where the host has no payment gateway the API answers 404, and so
 * does this page.
 */
@ApiExcludeController()
@Controller('panel/auto-top-up')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class AutoTopUpPageController {
  constructor(private readonly session: PanelSession) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const state = await user.api.get<AutoTopUp>('/me/auto-top-up');
    await this.render(res, user, 200, state, formOf(state), []);
  }

  @Post()
  async save(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const form: RuleForm = {
      threshold: text(body.threshold),
      value: text(body.value),
      monthlyLimit: text(body.monthlyLimit),
      mode: body.mode === 'target' ? 'target' : 'amount',
    };
    try {
      await user.api.put('/me/auto-top-up', {
        threshold: form.threshold,
        [form.mode]: form.value,
        monthlyLimit: form.monthlyLimit,
      });
    } catch (error) {
      if (!(error instanceof PluginApiError) || error.status !== 400) throw error;
      const messages = [
        ...fieldMessages('threshold', error.errors).map((m) => `Threshold: ${m}`),
        ...fieldMessages(form.mode, error.errors).map((m) => `${form.mode === 'target' ? 'Target' : 'Amount'}: ${m}`),
        ...fieldMessages('monthlyLimit', error.errors).map((m) => `Monthly limit: ${m}`),
        ...fieldMessages('currency', error.errors).map((m) => `Currency: ${m}`),
      ];
      const state = await user.api.get<AutoTopUp>('/me/auto-top-up');
      return this.render(res, user, 400, state, form, messages.length ? messages : [error.message]);
    }
    res.redirect(303, `${PANEL_ROUTES.autoTopUp}?saved=1`);
  }

  @Post('delete')
  async remove(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    await user.api.delete('/me/auto-top-up');
    res.redirect(303, `${PANEL_ROUTES.autoTopUp}?removed=1`);
  }

  private async render(
    res: Response,
    user: PanelUser,
    status: number,
    state: AutoTopUp,
    form: RuleForm,
    errors: string[],
  ): Promise<void> {
    const [layout, account] = await Promise.all([
      this.session.layout(user, 'Auto top-up', 'autoTopUp', PANEL_ROUTES.autoTopUp),
      user.api.get<MyAccount>('/me/account'),
    ]);
    const saved = res.req.query.saved === '1';
    const removed = res.req.query.removed === '1';
    this.session.send(res, status, 'auto-top-up', {
      layout,
      account,
      state,
      form,
      targetMode: form.mode === 'target',
      errors: errors.map((message) => ({ href: '', text: message })),
      notice: saved ? 'Your auto top-up rule is saved.' : removed ? 'Auto top-up is off.' : null,
    });
  }
}

function formOf(state: AutoTopUp): RuleForm {
  const rule = state.rule;
  if (!rule) return { threshold: '', value: '', monthlyLimit: '', mode: 'amount' };
  return {
    threshold: rule.threshold.credits,
    value: (rule.target ?? rule.amount)?.credits ?? '',
    monthlyLimit: rule.monthlyLimit.credits,
    mode: rule.target ? 'target' : 'amount',
  };
}
