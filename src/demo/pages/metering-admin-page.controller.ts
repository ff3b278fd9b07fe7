import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AdminCounter, AdminPlan, AdminRule } from './api-types';
import { FormBody, FormState, requestBody, typedValues } from './form-fields';
import {
  COUNTERS_PATH,
  countersView,
  CounterFormState,
  MeteringQuery,
  RULES_PATH,
  rulesView,
  savedAction,
} from './metering-admin-view';
import { COUNTER_FIELDS, counterRequest, filledRangeRows, RULE_FIELDS, typedRangeRows } from './metering-forms';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PanelSession, PanelUser } from './panel-session';
import { PluginApiError } from './plugin-api';

const idOf = (value: unknown): number | null =>
  typeof value === 'string' && /^\d{1,10}$/.test(value) && Number(value) > 0 ? Number(value) : null;

const queryOf = (raw: Record<string, unknown>): MeteringQuery => ({
  saved: savedAction(raw.saved),
  editId: idOf(raw.edit),
});

/** The API's refusal as the errors a form shows; a server error is not the form's to show. */
function refusalErrors(error: unknown) {
  if (!(error instanceof PluginApiError) || error.status >= 500) throw error;
  return error.errors.length ? error.errors : [{ field: '', rule: 'refused', message: error.message }];
}

/**
 * /panel/admin/plans/:planId/rules and /panel/admin/counters: a plan's resource rules and the metered counters,
 * listed, added, changed and deleted through the plugin's admin API. Admins only; the forms work without scripts.
 */
@ApiExcludeController()
@Controller('panel/admin')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class MeteringAdminPageController {
  constructor(private readonly session: PanelSession) {}

  @Get('plans/:planId/rules')
  async rules(@Req() req: Request, @Res() res: Response, @Param('planId') planId: string, @Query() query: FormBody) {
    const user = this.session.admin(req, res);
    if (user) await this.renderRules(res, user, planId, queryOf(query), 200);
  }

  @Post('plans/:planId/rules')
  async createRule(@Req() req: Request, @Res() res: Response, @Param('planId') planId: string, @Body() body: FormBody) {
    await this.saveRule(req, res, planId, null, body);
  }

  @Post('plans/:planId/rules/:ruleId')
  async updateRule(
    @Req() req: Request,
    @Res() res: Response,
    @Param('planId') planId: string,
    @Param('ruleId') ruleId: string,
    @Body() body: FormBody,
  ) {
    await this.saveRule(req, res, planId, ruleId, body);
  }

  @Post('plans/:planId/rules/:ruleId/delete')
  async deleteRule(
    @Req() req: Request,
    @Res() res: Response,
    @Param('planId') planId: string,
    @Param('ruleId') ruleId: string,
  ) {
    const user = this.session.admin(req, res);
    if (!user) return;
    const [plan, rule] = [idOf(planId), idOf(ruleId)];
    if (plan === null || rule === null) return this.notFound(res, user);
    await user.api.delete(`/admin/plans/${plan}/rules/${rule}`);
    res.redirect(303, `${RULES_PATH(plan)}?saved=deleted`);
  }

  @Get('counters')
  async counters(@Req() req: Request, @Res() res: Response, @Query() query: FormBody) {
    const user = this.session.admin(req, res);
    if (user) await this.renderCounters(res, user, queryOf(query), 200);
  }

  @Post('counters')
  async createCounter(@Req() req: Request, @Res() res: Response, @Body() body: FormBody) {
    await this.saveCounter(req, res, null, body);
  }

  @Post('counters/:id')
  async updateCounter(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() body: FormBody) {
    await this.saveCounter(req, res, id, body);
  }

  @Post('counters/:id/delete')
  async deleteCounter(@Req() req: Request, @Res() res: Response, @Param('id') id: string) {
    const user = this.session.admin(req, res);
    if (!user) return;
    const counter = idOf(id);
    if (counter === null) return this.notFound(res, user);
    await user.api.delete(`/admin/counters/${counter}`);
    res.redirect(303, `${COUNTERS_PATH}?saved=deleted`);
  }

  /** Creates (ruleId null) or changes a rule: saved → the list (303); refused → the form again, errors by the fields. */
  private async saveRule(req: Request, res: Response, planId: string, ruleId: string | null, body: FormBody) {
    const user = this.session.admin(req, res);
    if (!user) return;
    const [plan, rule] = [idOf(planId), ruleId === null ? null : idOf(ruleId)];
    if (plan === null || (ruleId !== null && rule === null)) return this.notFound(res, user);
    const request = requestBody(RULE_FIELDS, body);
    try {
      if (rule === null) await user.api.post<AdminRule>(`/admin/plans/${plan}/rules`, request);
      else await user.api.patch<AdminRule>(`/admin/plans/${plan}/rules/${rule}`, request);
      res.redirect(303, `${RULES_PATH(plan)}?saved=${rule === null ? 'created' : 'updated'}`);
    } catch (error) {
      const state = { values: typedValues(RULE_FIELDS, body), errors: refusalErrors(error) };
      await this.renderRules(res, user, planId, { saved: null, editId: rule }, (error as PluginApiError).status, state);
    }
  }

  /** As saveRule; "Add a price range" shows the form again with one more row, saving nothing. */
  private async saveCounter(req: Request, res: Response, id: string | null, body: FormBody) {
    const user = this.session.admin(req, res);
    if (!user) return;
    const counter = id === null ? null : idOf(id);
    if (id !== null && counter === null) return this.notFound(res, user);
    const query = { saved: null, editId: counter };
    const values = typedValues(COUNTER_FIELDS, body);
    if (body.rangeAction === 'add') {
      return this.renderCounters(res, user, query, 200, { values, errors: [], rows: typedRangeRows(body) });
    }
    try {
      const request = counterRequest(body);
      if (counter === null) await user.api.post<AdminCounter>('/admin/counters', request);
      else await user.api.patch<AdminCounter>(`/admin/counters/${counter}`, request);
      res.redirect(303, `${COUNTERS_PATH}?saved=${counter === null ? 'created' : 'updated'}`);
    } catch (error) {
      const state = { values, errors: refusalErrors(error), rows: filledRangeRows(typedRangeRows(body)) };
      await this.renderCounters(res, user, query, (error as PluginApiError).status, state);
    }
  }

  private async renderRules(
    res: Response,
    user: PanelUser,
    planId: string,
    query: MeteringQuery,
    status: number,
    state?: FormState,
  ): Promise<void> {
    const id = idOf(planId);
    const plan = id === null ? undefined : (await user.api.get<AdminPlan[]>('/admin/plans')).find((p) => p.id === id);
    if (!plan) return this.notFound(res, user);
    const [layout, rules] = await Promise.all([
      this.session.layout(user, `Rules of ${plan.name}`, 'admin', RULES_PATH(plan.id)),
      user.api.get<AdminRule[]>(`/admin/plans/${plan.id}/rules`),
    ]);
    this.session.send(res, status, 'admin-rules', { layout, page: rulesView(plan, rules, query, state) });
  }

  private async renderCounters(
    res: Response,
    user: PanelUser,
    query: MeteringQuery,
    status: number,
    state?: CounterFormState,
  ): Promise<void> {
    const [layout, counters, plans] = await Promise.all([
      this.session.layout(user, 'Metered counters', 'admin', COUNTERS_PATH),
      user.api.get<AdminCounter[]>('/admin/counters'),
      user.api.get<AdminPlan[]>('/admin/plans'),
    ]);
    this.session.send(res, status, 'admin-counters', { layout, page: countersView(counters, plans, query, state) });
  }

  private notFound(res: Response, user: PanelUser): void {
    this.session.message(res, user.viewer, 404, 'Not found', 'There is no such plan, rule or counter.');
  }
}
