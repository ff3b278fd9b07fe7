import { Body, Controller, Get, Logger, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { CatalogPlan, LedgerEntry, MyInstance } from './api-types';
import { formatDateTime, formatShortDateTime, instanceStateLabel, ledgerKindLabel, planRate } from './format';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PANEL_ROUTES, PanelSession, PanelUser, safeReturnTo } from './panel-session';

const RECENT_LEDGER_ENTRIES = 6;

type FormBody = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** /panel: the signed-in user's dashboard with the widget, their instances, the currency picker. */
@ApiExcludeController()
@Controller('panel')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class DashboardPageController {
  private readonly logger = new Logger('Panel');

  constructor(private readonly session: PanelSession) {}

  @Get()
  async dashboard(
    @Req() req: Request,
    @Res() res: Response,
    @Query('created') created?: string,
    @Query('terminated') terminated?: string,
    @Query('toppedUp') toppedUp?: string,
    @Query('redeemed') redeemed?: string,
  ): Promise<void> {
    const user = this.session.user(req);
    if (!user) return this.session.signIn(res, 200);
    const [layout, widget, instances, plans, ledger] = await Promise.all([
      this.session.layout(user, 'Dashboard', 'dashboard', PANEL_ROUTES.dashboard),
      // The plugin's own fragment, included as it is: the host decides where, the plugin what. Without it the
      // rest of the dashboard still works, so a failure there is said in its place rather than failing the page.
      user.api.text('/me/widget.html').catch((error: unknown) => {
        this.logger.warn(`the widget fragment failed: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }),
      user.api.get<MyInstance[]>('/me/instances'),
      user.api.get<CatalogPlan[]>('/catalog/plans'),
      user.api.get<{ entries: LedgerEntry[] }>('/me/ledger', { limit: RECENT_LEDGER_ENTRIES }),
    ]);
    const planById = new Map(plans.map((plan) => [plan.id, plan]));
    const row = (instance: MyInstance) => ({
      id: instance.id,
      name: instance.name,
      plan: instance.plan ?? `plan ${instance.planId}`,
      location: instance.location ?? '—',
      state: instance.state,
      stateLabel: instanceStateLabel(instance.state),
      rate: planRate(planById.get(instance.planId)),
      createdAt: formatDateTime(instance.createdAt),
      terminatedAt: instance.terminatedAt ? formatDateTime(instance.terminatedAt) : '',
      highlight: instance.id === created,
    });
    const active = instances.filter((instance) => instance.state !== 'terminated');
    const ended = instances.filter((instance) => instance.state === 'terminated');
    this.session.send(res, 200, 'dashboard', {
      layout,
      notice:
        toppedUp === '1'
          ? 'Thank you: your payment was added to your balance.'
          : redeemed === '1'
            ? 'Your promo code was redeemed: the promotional credit is in your balance.'
            : this.notice(instances, created, terminated),
      widgetHtml: widget,
      active: active.map(row),
      ended: ended.map(row),
      ledger: ledger.entries.map((entry) => ({
        when: formatShortDateTime(entry.createdAt),
        kind: ledgerKindLabel(entry.kind),
        amount: entry.amount.formatted,
        balanceAfter: entry.balanceAfter.formatted,
        // A charge's note is the hour it settled, which the time already says.
        note: entry.kind === 'charge' ? '' : (entry.note ?? ''),
      })),
    });
  }

  /** The currency picker: every amount on every page follows the user's preference. */
  @Post('preferences')
  async setCurrency(@Req() req: Request, @Res() res: Response, @Body() body: FormBody): Promise<void> {
    const user = this.requireUser(req, res);
    if (!user) return;
    await user.api.patch('/me/preferences', { currency: text(body.currency) });
    res.redirect(303, safeReturnTo(body.returnTo));
  }

  @Post('instances/:id/terminate')
  async terminate(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    const user = this.requireUser(req, res);
    if (!user) return;
    const instance = await user.api.delete<MyInstance>(`/me/instances/${encodeURIComponent(id)}`);
    res.redirect(303, `${PANEL_ROUTES.dashboard}?terminated=${encodeURIComponent(instance.id)}`);
  }

  private requireUser(req: Request, res: Response): PanelUser | null {
    const user = this.session.user(req);
    if (!user) this.session.signIn(res);
    return user;
  }

  private notice(instances: MyInstance[], created?: string, terminated?: string): string | null {
    const byId = (id?: string) => instances.find((instance) => instance.id === id);
    const made = byId(created);
    if (made) {
      return `Instance “${made.name}” was created in ${made.location ?? 'its location'} on ${made.plan ?? 'its plan'}; it is billed from now on.`;
    }
    const gone = byId(terminated);
    if (gone) return `Instance “${gone.name}” was terminated; billing for it has stopped.`;
    return null;
  }
}
