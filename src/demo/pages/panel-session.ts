import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrencyService } from '../../currencies/currency.service';
import type { AuthenticatedUser } from '../../host/ports';
import { DEMO_CONFIG, type DemoConfig } from '../demo.config';
import { DemoClock } from '../demo-clock';
import { DemoCurrentUser } from '../demo-ports';
import { cspNonceOf } from '../http-security';
import type { Preferences } from './api-types';
import { PanelCsrf } from './panel-csrf';
import { PanelPage, PanelRenderer } from './panel-renderer';
import { PluginApi, PluginApiSession } from './plugin-api';

export const PANEL_ROUTES = {
  dashboard: '/panel',
  wizard: '/panel/instances/new',
  usage: '/panel/usage',
  budget: '/panel/budget',
  statements: '/panel/statements',
  autoTopUp: '/panel/auto-top-up',
  admin: '/panel/admin',
} as const;
type Section = keyof typeof PANEL_ROUTES;

export interface LayoutView {
  title: string;
  viewer: { id: string; isAdmin: boolean } | null;
  nav: { href: string; label: string; current: boolean }[];
  currencyPicker: { returnTo: string; options: { code: string; label: string; selected: boolean }[] } | null;
  clock: string;
}

/** A signed-in page request: who, and the plugin's API as them. */
export interface PanelUser {
  viewer: AuthenticatedUser;
  api: PluginApiSession;
}

/** Only the panel's own paths: a form cannot be made to send the user elsewhere after it is saved. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/panel(?:[/?#]|$)/.test(value) && !value.includes('//')
    ? value
    : PANEL_ROUTES.dashboard;
}

const formatClock = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** What every page needs: the viewer, the plugin's API as them, and the shared layout (nav, currency picker). */
@Injectable()
export class PanelSession {
  constructor(
    private readonly currentUser: DemoCurrentUser,
    private readonly pluginApi: PluginApi,
    private readonly currencies: CurrencyService,
    private readonly clock: DemoClock,
    private readonly renderer: PanelRenderer,
    private readonly csrf: PanelCsrf,
    @Inject(DEMO_CONFIG) private readonly config: DemoConfig,
  ) {}

  user(request: Request): PanelUser | null {
    const viewer = this.currentUser.fromRequest(request);
    return viewer ? { viewer, api: this.pluginApi.forUser(request, viewer.id) } : null;
  }

  /** The layout for a signed-in page; the currency picker returns to `returnTo` once the choice is saved. */
  async layout(user: PanelUser, title: string, section: Section | null, returnTo: string): Promise<LayoutView> {
    const [preferences, currencies] = await Promise.all([
      user.api.get<Preferences>('/me/preferences'),
      this.currencies.list(),
    ]);
    const options = currencies
      .filter((currency) => currency.enabled)
      .map((currency) => ({
        code: currency.code,
        label: `${currency.code} – ${currency.name}`,
        selected: currency.code === preferences.currency,
      }));
    return {
      ...this.bareLayout(user.viewer, title, section),
      currencyPicker: { returnTo: safeReturnTo(returnTo), options },
    };
  }

  /** The layout without anything fetched: for sign-in and error pages, which must render whatever failed. */
  bareLayout(viewer: AuthenticatedUser | null, title: string, section: Section | null = null): LayoutView {
    const sections: [Section, string][] = [
      ['dashboard', 'Dashboard'],
      ['wizard', 'New instance'],
      ['usage', 'Usage'],
      ['budget', 'Budget'],
      ['statements', 'Statements'],
    ];
    // The host knows whether it offers payments: without its gateway the plugin hides auto top-up (404).
    if (this.config.paymentGateway !== false) sections.push(['autoTopUp', 'Auto top-up']);
    if (viewer?.isAdmin) sections.push(['admin', 'Admin']);
    return {
      title,
      viewer: viewer ? { id: viewer.id, isAdmin: viewer.isAdmin } : null,
      nav: viewer ? sections.map(([key, label]) => ({ href: PANEL_ROUTES[key], label, current: key === section })) : [],
      currencyPicker: null,
      clock: `${formatClock(this.clock.now())}${this.clock.isManual ? ' (manual)' : ''}`,
    };
  }

  /** Every page gets this response's script nonce (CSP) and the session's form token (CSRF) as `security`. */
  send(response: Response, status: number, page: PanelPage, context: object): void {
    const security = { nonce: cspNonceOf(response), csrfToken: this.csrf.token(response.req, response) };
    response.status(status).type('html').setHeader('cache-control', 'no-store');
    response.send(this.renderer.render(page, { ...context, security }));
  }

  /** The signed-in admin; otherwise answers with the sign-in form or a 403 page and gives null. */
  admin(request: Request, response: Response): PanelUser | null {
    const user = this.user(request);
    if (!user) {
      this.signIn(response);
      return null;
    }
    if (!user.viewer.isAdmin) {
      this.message(response, user.viewer, 403, 'Admins only', 'This page is for hosting admins.');
      return null;
    }
    return user;
  }

  /** The sign-in form, for any panel page asked for without a session. */
  signIn(response: Response, status = 401): void {
    this.send(response, status, 'sign-in', { layout: this.bareLayout(null, 'Sign in') });
  }

  /** A page that only says something: 403, 404, or an error the API answered. */
  message(response: Response, viewer: AuthenticatedUser | null, status: number, heading: string, text: string): void {
    this.send(response, status, 'message', { layout: this.bareLayout(viewer, heading), heading, text, status });
  }
}
