import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { GRANT_FIELDS, REFUND_FIELDS } from './admin-account-forms';
import { ACCOUNT_PATH, AccountFormState, AccountQuery, accountView } from './admin-account-view';
import type { AdminLedgerPage, CreditGrant, CreditResult } from './api-types';
import { FieldDefinition, FormBody, requestBody, typedValues } from './form-fields';
import { PanelCsrfGuard } from './panel-csrf';
import { PanelExceptionFilter } from './panel-exception.filter';
import { PanelSession, PanelUser } from './panel-session';
import { PluginApiError } from './plugin-api';

/** The user ids the plugin takes in a path (USER_ID_PATTERN); anything else is no account of this panel. */
const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;
const idOf = (value: unknown): number | null =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) && Number(value) > 0 ? Number(value) : null;
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** The API's refusal as the errors a form shows; a server error is not the form's to show. */
function refusalErrors(error: unknown) {
  if (!(error instanceof PluginApiError) || error.status >= 500) throw error;
  return error.errors.length ? error.errors : [{ field: '', rule: 'refused', message: error.message }];
}

/**
 * /panel/admin/accounts/:userId: one customer's balance (paid and promotional), ledger and credit grants, with
 * what an admin does there: refund all or part of a top-up, charge one back, grant credit. Admins only.
 */
@ApiExcludeController()
@Controller('panel/admin/accounts/:userId')
@UseFilters(PanelExceptionFilter)
@UseGuards(PanelCsrfGuard)
export class AdminAccountPageController {
  constructor(private readonly session: PanelSession) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Param('userId') userId: string, @Query() query: FormBody) {
    const user = this.session.admin(req, res);
    if (!user) return;
    if (!USER_ID.test(userId)) return this.notFound(res, user);
    await this.render(res, user, userId, { before: idOf(query.before), done: str(query.done) || null }, 200);
  }

  @Post('ledger/:entryId/refund')
  async refund(
    @Req() req: Request,
    @Res() res: Response,
    @Param('userId') userId: string,
    @Param('entryId') entryId: string,
    @Body() body: FormBody,
  ) {
    await this.submit(req, res, userId, body, { form: 'refund', entryId: idOf(entryId), fields: REFUND_FIELDS });
  }

  @Post('ledger/:entryId/chargeback')
  async chargeback(
    @Req() req: Request,
    @Res() res: Response,
    @Param('userId') userId: string,
    @Param('entryId') entryId: string,
    @Body() body: FormBody,
  ) {
    await this.submit(req, res, userId, body, { form: 'chargeback', entryId: idOf(entryId), fields: [] });
  }

  @Post('grants')
  async grant(@Req() req: Request, @Res() res: Response, @Param('userId') userId: string, @Body() body: FormBody) {
    await this.submit(req, res, userId, body, { form: 'grant', entryId: null, fields: GRANT_FIELDS });
  }

  /** Sends a form to the API: done → back to the page (303); refused → the page again, errors by the fields. */
  private async submit(
    req: Request,
    res: Response,
    userId: string,
    body: FormBody,
    { form, entryId, fields }: { form: AccountFormState['form']; entryId: number | null; fields: FieldDefinition[] },
  ): Promise<void> {
    const user = this.session.admin(req, res);
    if (!user) return;
    if (!USER_ID.test(userId) || (form !== 'grant' && entryId === null)) return this.notFound(res, user);
    const reference = str(body.reference);
    const account = `/admin/accounts/${encodeURIComponent(userId)}`;
    try {
      const request = requestBody(fields, body);
      let created: boolean;
      if (form === 'grant') {
        ({ created } = await user.api.post<CreditGrant & { created: boolean }>(`${account}/grants`, {
          ...request,
          reference,
        }));
      } else if (form === 'refund') {
        ({ created } = await user.api.post<CreditResult>(`${account}/ledger/${entryId}/refunds`, {
          ...request,
          reference,
        }));
      } else {
        ({ created } = await user.api.post<CreditResult>(`${account}/ledger/${entryId}/chargeback`, {}));
      }
      const section = form === 'grant' ? 'grants' : 'ledger';
      res.redirect(303, `${ACCOUNT_PATH(userId)}?done=${form}${created ? '' : '-repeat'}#${section}`);
    } catch (error) {
      const state = { form, entryId, reference, values: typedValues(fields, body), errors: refusalErrors(error) };
      const query = { before: idOf(body.before), done: null };
      await this.render(res, user, userId, query, (error as PluginApiError).status, state);
    }
  }

  private async render(
    res: Response,
    user: PanelUser,
    userId: string,
    query: AccountQuery,
    status: number,
    state?: AccountFormState,
  ): Promise<void> {
    const account = `/admin/accounts/${encodeURIComponent(userId)}`;
    const [layout, ledger, grants] = await Promise.all([
      this.session.layout(user, `Account ${userId}`, 'admin', ACCOUNT_PATH(userId)),
      user.api.get<AdminLedgerPage>(`${account}/ledger`, { before: query.before ?? undefined }),
      user.api.get<CreditGrant[]>(`${account}/grants`),
    ]);
    this.session.send(res, status, 'admin-account', {
      layout,
      page: accountView(userId, ledger, grants, query, state),
    });
  }

  private notFound(res: Response, user: PanelUser): void {
    this.session.message(res, user.viewer, 404, 'Not found', 'There is no such account or ledger entry.');
  }
}
