import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { BudgetResponseDto } from '../../budgets/budget.dto';
import { BUDGET_ACTIONS } from '../../budgets/budget-rules';
import { fieldMessages, type FormBody } from './form-fields';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PanelSession, PanelUser } from './panel-session';
import { PluginApiError } from './plugin-api';

const ACTION_LABELS: Record<(typeof BUDGET_ACTIONS)[number], string> = {
  alert: 'Email me only',
  'block-new': 'Email me and stop me creating new instances this month',
  stop: 'Email me and stop my running instances',
};

interface BudgetForm {
  amount: string;
  levels: string;
  action: string;
}

type FieldErrors = Record<'amount' | 'levels' | 'action' | 'form', string[]>;
const NO_ERRORS: FieldErrors = { amount: [], levels: [], action: [], form: [] };

/** "50, 80, 100" → [50, 80, 100]; what is not a whole number goes as typed, so the API names what is wrong. */
const parseLevels = (text: string): unknown[] =>
  text
    .split(/[\s,%]+/)
    .filter(Boolean)
    .map((token) => (/^\d{1,6}$/.test(token) ? Number(token) : token));

/** /panel/budget: the user's monthly budget card (GET /me/budget) and the form that sets it (PUT /me/budget). */
@ApiExcludeController()
@Controller('panel/budget')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class BudgetPageController {
  constructor(private readonly session: PanelSession) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Query('saved') saved?: string): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const budget = await this.budget(user);
    const form = budget
      ? { amount: budget.setAs.amount, levels: budget.alertLevels.join(', '), action: budget.action }
      : { amount: '', levels: '50, 80, 100', action: 'alert' };
    const notice = saved === '1' ? 'Your budget is saved.' : saved === '0' ? 'Your budget is removed.' : null;
    await this.render(res, user, 200, budget, form, NO_ERRORS, notice);
  }

  @Post()
  async save(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const form = { amount: text('amount'), levels: text('levels'), action: text('action') };
    try {
      await user.api.put('/me/budget', {
        amount: form.amount,
        alertLevels: parseLevels(form.levels),
        action: form.action,
      });
    } catch (error) {
      if (!(error instanceof PluginApiError) || error.status !== 400) throw error;
      const errors = {
        amount: fieldMessages('amount', error.errors),
        levels: fieldMessages('alertLevels', error.errors),
        action: fieldMessages('action', error.errors),
        form: [] as string[],
      };
      if (!errors.amount.length && !errors.levels.length && !errors.action.length) errors.form = [error.message];
      return this.render(res, user, 400, await this.budget(user), form, errors, null);
    }
    res.redirect(303, '/panel/budget?saved=1');
  }

  @Post('remove')
  async remove(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    await user.api.delete('/me/budget');
    res.redirect(303, '/panel/budget?saved=0');
  }

  private async budget(user: PanelUser): Promise<BudgetResponseDto | null> {
    try {
      return await user.api.get<BudgetResponseDto>('/me/budget');
    } catch (error) {
      if (error instanceof PluginApiError && error.status === 404) return null;
      throw error;
    }
  }

  private async render(
    res: Response,
    user: PanelUser,
    status: number,
    budget: BudgetResponseDto | null,
    form: BudgetForm,
    errors: FieldErrors,
    notice: string | null,
  ): Promise<void> {
    const layout = await this.session.layout(user, 'Budget', 'budget', '/panel/budget');
    const percent = budget?.percentUsed ?? null;
    this.session.send(res, status, 'budget', {
      layout,
      notice,
      budget: budget && {
        budget: budget.budget.formatted,
        spent: budget.spent.formatted,
        percent: percent === null ? '—' : `${percent} %`,
        barPercent: Math.min(100, percent ?? (budget.levelsReached.length ? 100 : 0)),
        over: budget.levelsReached.includes(100),
        month: budget.month,
        levels: budget.alertLevels.map((level) => ({ level, reached: budget.levelsReached.includes(level) })),
        reached: budget.levelsReached.map((level) => `${level} %`).join(', '),
        forecast: budget.forecast?.sentence ?? null,
        action: ACTION_LABELS[budget.action],
        blocked: budget.blocksNewInstances,
      },
      form,
      currency: (await user.api.get<{ currency: string }>('/me/preferences')).currency,
      actions: BUDGET_ACTIONS.map((value) => ({ value, label: ACTION_LABELS[value], checked: value === form.action })),
      errors,
    });
  }
}
