import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { DEMO_CONFIG, DemoConfig } from '../demo.config';
import { DEMO_USER_COOKIE } from '../demo-ports';

/** The hidden field every POST form of the pages carries (the `csrf-field` partial prints it). */
export const CSRF_FIELD = '_csrf';
export const CSRF_COOKIE = 'cloud_billing_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sessionOf = (request: Request): string | undefined =>
  (request.cookies as Record<string, string> | undefined)?.[DEMO_USER_COOKIE];

/** A page form sent without this session's token: a forged form, or one from before a restart or a new sign-in. */
export class FormExpiredException extends ForbiddenException {
  constructor() {
    super('This form was not sent from a page of this panel, or it has expired. Reload the page and send it again.');
  }
}

/**
 * CSRF tokens for the pages' forms: the double-submit cookie pattern of csrf-csrf, the library Nest's docs
 * recommend. The token is an HMAC of the signed-in user's id, so one taken while signed in as someone else (or
 * signed out) does not pass. The secret is DEMO_CSRF_SECRET, or random at each start, which only makes forms
 * opened before a restart ask to be reloaded.
 */
@Injectable()
export class PanelCsrf {
  private readonly csrf: DoubleCsrfUtilities;

  constructor(@Inject(DEMO_CONFIG) config: DemoConfig) {
    const secret = config.csrfSecret || randomBytes(32).toString('hex');
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (request) => sessionOf(request) ?? '',
      cookieName: CSRF_COOKIE,
      // Not `secure`: the demo is served over plain HTTP. A panel served over HTTPS sets it (and a __Host- name).
      cookieOptions: { sameSite: 'strict', secure: false, httpOnly: true, path: '/' },
      getCsrfTokenFromRequest: (request) => {
        const value: unknown = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
        return typeof value === 'string' ? value : undefined;
      },
    });
  }

  /** The token to print in this response's forms; sets (or keeps) its cookie. */
  token(request: Request, response: Response): string {
    return this.csrf.generateCsrfToken(request, response);
  }

  isValid(request: Request): boolean {
    return this.csrf.validateRequest(request);
  }
}

/**
 * Refuses a page's POST without the token of the session that sends it (403, shown as a page by the
 * controller's filter). A POST without a session is let through: the page answers it with the sign-in form and
 * changes nothing, so there is nothing to forge.
 */
@Injectable()
export class PanelCsrfGuard implements CanActivate {
  constructor(private readonly csrf: PanelCsrf) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(request.method) || sessionOf(request) === undefined) return true;
    if (!this.csrf.isValid(request)) throw new FormExpiredException();
    return true;
  }
}
