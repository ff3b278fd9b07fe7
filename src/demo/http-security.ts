import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuseCrossOriginCookieWrites } from './cross-origin';

/** Where the per-response script nonce is kept for the pages to print (`res.locals`). */
export const CSP_NONCE_LOCAL = 'cspNonce';

export function cspNonceOf(response: ServerResponse | Response): string {
  const locals = (response as Partial<Response>).locals ?? {};
  const nonce: unknown = locals[CSP_NONCE_LOCAL];
  if (typeof nonce !== 'string') throw new Error('no CSP nonce on this response: applyHttpSecurity() was not run');
  return nonce;
}

function issueNonce(_request: Request, response: Response, next: NextFunction): void {
  response.locals[CSP_NONCE_LOCAL] = randomBytes(16).toString('hex');
  next();
}

/**
 * The demo host's HTTP hardening, as a real panel would have it; run before app.init() and after cookie-parser.
 * - A CSP: scripts only from this origin or inline with this response's nonce (the pages print it on their own
 *   scripts), nothing from elsewhere, no framing by any page. Styles may be inline: the pages and the widget
 *   fragment carry their CSS with them, and it cannot run code.
 * - No `X-Powered-By`; helmet's other headers (nosniff, a strict referrer policy, X-Frame-Options DENY, …).
 * - Writes signed in by cookie from another site refused (see cross-origin.ts).
 */
export function applyHttpSecurity(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use(issueNonce);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req: IncomingMessage, res: ServerResponse) => `'nonce-${cspNonceOf(res)}'`],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          // The demo is served over plain HTTP on any address; upgrading its forms to https would break them.
          upgradeInsecureRequests: null,
        },
      },
      frameguard: { action: 'deny' },
    }),
  );
  app.use(refuseCrossOriginCookieWrites);
}
