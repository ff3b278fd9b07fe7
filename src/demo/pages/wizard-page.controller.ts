import { Body, Controller, Get, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { MyInstance } from './api-types';
import { fieldMessages } from './form-fields';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PANEL_ROUTES, PanelSession, PanelUser } from './panel-session';
import { PluginApiError } from './plugin-api';
import { creationRequest, loadWizard, WizardChoice, WizardProblem } from './wizard-view';

/**
 * /panel/instances/new: plan group → plan → location → cost preview → name → create. Works as plain forms
 * (each choice reloads the page with it); the page's script swaps in the next state without a reload.
 */
@ApiExcludeController()
@Controller('panel/instances')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class WizardPageController {
  constructor(private readonly session: PanelSession) {}

  @Get('new')
  async wizard(@Req() req: Request, @Res() res: Response, @Query() query: WizardChoice): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    await this.render(res, user, req.originalUrl, query, null, 200);
  }

  @Post()
  async create(@Req() req: Request, @Res() res: Response, @Body() body: WizardChoice): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res);
    const request = creationRequest(body);
    if (!request) {
      const problem = { message: 'Choose a plan and a location first.', nameErrors: [] };
      return this.render(res, user, PANEL_ROUTES.wizard, body, problem, 400);
    }
    try {
      const instance = await user.api.post<MyInstance>('/me/instances', request);
      res.redirect(303, `${PANEL_ROUTES.dashboard}?created=${encodeURIComponent(instance.id)}`);
    } catch (error) {
      // 400 (a bad name), 402 (the balance rule), 409 (no room), 502 (the host failed): said on the wizard.
      if (!(error instanceof PluginApiError)) throw error;
      const nameErrors = fieldMessages('name', error.errors);
      const problem = { message: nameErrors.length ? 'Check the name.' : error.message, nameErrors };
      await this.render(res, user, PANEL_ROUTES.wizard, body, problem, error.status);
    }
  }

  private async render(
    res: Response,
    user: PanelUser,
    returnTo: string,
    choice: WizardChoice,
    problem: WizardProblem | null,
    status: number,
  ): Promise<void> {
    const [layout, wizard] = await Promise.all([
      this.session.layout(user, 'New instance', 'wizard', returnTo),
      loadWizard(user.api, choice, problem),
    ]);
    this.session.send(res, status, 'wizard', { layout, wizard });
  }
}
