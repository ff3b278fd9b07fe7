import { PanelRenderer } from './panel-renderer';
import { safeReturnTo } from './panel-session';

const layout = (viewer: { id: string; isAdmin: boolean } | null) => ({
  title: 'Test',
  viewer,
  nav: viewer ? [{ href: '/panel', label: 'Dashboard', current: true }] : [],
  currencyPicker: viewer
    ? { returnTo: '/panel', options: [{ code: 'EUR', label: 'EUR – Euro', selected: true }] }
    : null,
  clock: '2026-03-10 12:00 UTC (manual)',
});
const security = { nonce: 'test-nonce', csrfToken: 'test-token' };

describe('PanelRenderer', () => {
  const renderer = new PanelRenderer();

  it('renders a page inside the layout, with a labelled currency picker for a signed-in user', () => {
    const html = renderer.render('message', {
      security,
      layout: layout({ id: 'alice', isAdmin: false }),
      heading: 'Not found',
      text: 'no instance "x"',
      status: 404,
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<label for="currency-picker">Currency</label>');
    expect(html).toContain('<option value="EUR" selected>');
    expect(html).toContain('aria-current="page"');
    expect(html).toContain('Error 404');
    // The picker is a POST form: it carries the session's CSRF token.
    expect(html).toMatch(/<form class="currency-form"[^>]*>\s*<input type="hidden" name="_csrf" value="test-token">/);
  });

  it('escapes what users typed, wherever it appears', () => {
    const html = renderer.render('message', {
      security,
      layout: layout({ id: 'alice', isAdmin: false }),
      heading: '<img src=x onerror=alert(1)>',
      text: '"><script>alert(1)</script>',
      status: 400,
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src&#x3D;x');
  });

  it('refuses a view model with a missing field instead of showing a blank', () => {
    expect(() => renderer.render('message', { layout: layout(null), heading: 'x', status: 500 })).toThrow(/text/);
  });

  it('offers the sign-in form without a session', () => {
    const html = renderer.render('sign-in', { security, layout: layout(null) });
    expect(html).toContain('<label for="sign-in-as">User id</label>');
    expect(html).toContain('action="/demo/login"');
    expect(html).not.toContain('currency-picker');
  });
});

describe('safeReturnTo', () => {
  it('returns only to the panel, never to another site', () => {
    expect(safeReturnTo('/panel/usage?month=2026-03')).toBe('/panel/usage?month=2026-03');
    expect(safeReturnTo('/panel')).toBe('/panel');
    for (const unsafe of ['https://evil.example/panel', '//evil.example', '/panel//evil', '/panelx', '/docs', 42]) {
      expect(safeReturnTo(unsafe)).toBe('/panel');
    }
  });
});
