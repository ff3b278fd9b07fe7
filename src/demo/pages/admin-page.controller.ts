import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ACCOUNT_STATUS_FILTERS, CREDIT_FIELDS, PLAN_FIELDS, SETTINGS_FIELDS } from './admin-forms';
import { AdminData, AdminForms, AdminQuery, adminView } from './admin-view';
import type {
  AdminAccount,
  AdminCurrency,
  AdminLocation,
  AdminPlan,
  AdminPlanGroup,
  CreditResult,
  Settings,
  SettlementFailure,
} from './api-types';
import { FieldDefinition, FormBody, requestBody, typedValues } from './form-fields';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PANEL_ROUTES, PanelSession, PanelUser } from './panel-session';
import { PluginApiError } from './plugin-api';

const STATUSES = new Set(ACCOUNT_STATUS_FILTERS.map((option) => option.value).filter(Boolean));
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** /panel/admin: settings, currencies, locations with their hypervisors, plans, accounts. Admins only. */
@ApiExcludeController()
@Controller('panel/admin')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class AdminPageController {
  constructor(private readonly session: PanelSession) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const user = this.session.admin(req, res);
    if (!user) return;
    await this.render(res, user, 200, {}, query);
  }

  @Post('settings')
  async saveSettings(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    await this.submit(req, res, body, 'settings', SETTINGS_FIELDS, async (user, request) => {
      await user.api.patch<Settings>('/admin/settings', request);
      return '?saved=settings#settings';
    });
  }

  @Post('plans')
  async createPlan(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    await this.submit(req, res, body, 'plan', PLAN_FIELDS, async (user, request) => {
      await user.api.post<AdminPlan>('/admin/plans', request);
      return '?saved=plan#plans';
    });
  }

  @Post('credits')
  async addCredits(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    await this.submit(req, res, body, 'credit', CREDIT_FIELDS, async (user, request) => {
      const { userId, ...credit } = request;
      if (typeof userId !== 'string' || userId === '') {
        throw new PluginApiError(400, 'userId must not be empty', [
          { field: 'userId', rule: 'isNotEmpty', message: 'Enter the id of the user to credit.' },
        ]);
      }
      const result = await user.api.post<CreditResult>(`/admin/accounts/${encodeURIComponent(userId)}/credits`, credit);
      const repeat = result.created ? '' : '&repeat=1';
      return `?credited=${encodeURIComponent(userId)}${repeat}#accounts`;
    });
  }

  @Post('currencies/:code/default')
  async makeDefault(@Req() req: Request, @Res() res: Response, @Param('code') code: string): Promise<void> {
    const user = this.session.admin(req, res);
    if (!user) return;
    await user.api.post<AdminCurrency>(`/admin/currencies/${encodeURIComponent(code)}/default`);
    res.redirect(303, `${PANEL_ROUTES.admin}?saved=currency#currencies`);
  }

  /** Sends a form to the API: saved → back to the page (303); refused → the page again, errors by the fields. */
  private async submit(
    req: Request,
    res: Response,
    body: FormBody,
    form: keyof AdminForms,
    fields: FieldDefinition[],
    send: (user: PanelUser, request: Record<string, unknown>) => Promise<string>,
  ): Promise<void> {
    const user = this.session.admin(req, res);
    if (!user) return;
    try {
      const next = await send(user, requestBody(fields, body));
      res.redirect(303, `${PANEL_ROUTES.admin}${next}`);
    } catch (error) {
      if (!(error instanceof PluginApiError) || error.status >= 500) throw error;
      const errors = error.errors.length ? error.errors : [{ field: '', rule: 'refused', message: error.message }];
      const state = { values: typedValues(fields, body), errors };
      await this.render(res, user, error.status, { [form]: state }, {});
    }
  }

  private async render(
    res: Response,
    user: PanelUser,
    status: number,
    forms: AdminForms,
    raw: Record<string, unknown>,
  ): Promise<void> {
    const query: AdminQuery = {
      status: STATUSES.has(str(raw.status)) ? str(raw.status) : '',
      saved: str(raw.saved),
      credited: str(raw.credited),
      repeated: raw.repeat === '1',
      creditFor: str(raw.creditFor).slice(0, 64),
    };
    const [layout, data] = await Promise.all([
      this.session.layout(user, 'Admin', 'admin', PANEL_ROUTES.admin),
      this.load(user, query.status),
    ]);
    this.session.send(res, status, 'admin', { layout, admin: adminView(data, forms, query) });
  }

  private async load(user: PanelUser, status: string): Promise<AdminData> {
    const { api } = user;
    const [settings, currencies, locations, groups, plans, accounts, failures] = await Promise.all([
      api.get<Settings>('/admin/settings'),
      api.get<AdminCurrency[]>('/admin/currencies'),
      api.get<AdminLocation[]>('/admin/locations'),
      api.get<AdminPlanGroup[]>('/admin/plan-groups'),
      api.get<AdminPlan[]>('/admin/plans'),
      api.get<AdminAccount[]>('/admin/accounts', { status: status || undefined }),
      api.get<SettlementFailure[]>('/admin/billing/failures'),
    ]);
    return { settings, currencies, locations, groups, plans, accounts, failures };
  }
}
