import type { NextFunction, Request, Response } from 'express';
import { DEMO_USER_COOKIE } from './demo-ports';

/** Reading never changes anything, and a link from another site (an email, a bookmark) must still open a page. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type HeaderSource = Pick<Request, 'method' | 'headers'>;

const header = (request: HeaderSource, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Whether a browser says that another site made this state-changing request. Fetch Metadata first: every current
 * browser sends `Sec-Fetch-Site`, and only `same-origin` or `none` (the user typed it) are ours. Older browsers
 * send `Origin` on a cross-origin POST; it is compared with the Host by host and port only, so a TLS-ending proxy
 * in front does not make our own pages foreign. Neither header means no browser (curl, a server), which a
 * forged request cannot be. The same rule as Go's net/http CrossOriginProtection.
 */
export function isCrossOriginWrite(request: HeaderSource): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const site = header(request, 'sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = header(request, 'origin');
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== header(request, 'host');
  } catch {
    // "null" (a sandboxed frame, a file) or garbage: not our page.
    return true;
  }
}

/**
 * The demo's session cookie is sent by the browser whoever made the request, and `SameSite=Lax` still lets a
 * sibling subdomain or an old browser through: a write that carries the cookie and comes from another site is
 * refused before any route sees it, on the pages and on the plugin's API alike. Requests without the cookie (the
 * `x-user-id` header, API clients) cannot be forged by a browser and pass untouched. Needs cookie-parser first.
 */
export function refuseCrossOriginCookieWrites(request: Request, response: Response, next: NextFunction): void {
  const cookies = request.cookies as Record<string, string> | undefined;
  if (cookies?.[DEMO_USER_COOKIE] === undefined || !isCrossOriginWrite(request)) return next();
  response.status(403).json({
    statusCode: 403,
    error: 'Forbidden',
    message: 'a request signed in by cookie must come from this site (Origin / Sec-Fetch-Site); it was refused',
  });
}
