import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describeInChromium, eventually, Harness, startHarness } from './support/browser-harness';

/** What Chromium reports about the page's Content Security Policy (violations are logged as console errors). */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Another site on this machine: the same host name and another port, so Chromium sends SameSite=Lax cookies. */
async function startOtherSite(html: (path: string) => string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html(request.url ?? '/'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describeInChromium('pages under the security headers', () => {
  let h: Harness;
  let other: { url: string; server: Server };

  beforeAll(async () => {
    h = await startHarness();
    await h.api('admin', 'POST', '/admin/accounts/alice/credits', { amount: '1000', reference: 'pay-alice-1' });
    await h.api('alice', 'POST', '/me/instances', { planId: 2, locationId: 1, name: 'build-box' });
    other = await startOtherSite((path) => {
      if (path === '/frame') return `<iframe id="panel" src="${h.baseUrl}/panel"></iframe>`;
      // A page that posts to the panel as soon as it opens, as a forged form would.
      const [target, fields] = path === '/forge-page' ? ['/panel/admin/credits', 'userId=mallory&'] : ['', ''];
      const action = target || '/cloud-billing/admin/accounts/mallory/credits';
      const inputs = `${fields}amount=1000&reference=forged-1`
        .split('&')
        .map((pair) => pair.split('='))
        .map(([name, value]) => `<input name="${name}" value="${value}">`)
        .join('');
      return `<form id="f" method="post" action="${h.baseUrl}${action}">${inputs}</form>
        <script>document.getElementById('f').submit()</script>`;
    });
  });
  afterAll(async () => {
    other?.server.close();
    await h?.close();
  });

  it('runs the pages’ own scripts with no CSP violation, on every page', async () => {
    const page = await h.newPage();
    const violations = watchCsp(page);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/demo/login?as=admin');
    for (const path of ['/panel', '/panel/instances/new', '/panel/usage', '/panel/admin', '/panel/top-up', '/docs']) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
    }
    // The API docs page renders its UI from its own scripts.
    await page.locator('.swagger-ui .info').first().waitFor();

    // The wizard's scripts ran: the inline one marks the page, the other swaps the next step in without a reload.
    await page.goto('/panel/instances/new');
    expect(await page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
    // A marker that a reload would wipe: the swap must happen in this very document.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await page.getByRole('radio').first().check();
    await page.waitForFunction(() => location.search.includes('groupId='));
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('blocks a script without the nonce, as an injected one would be', async () => {
    const page = await h.newPage();
    const violations = watchCsp(page);
    await page.goto('/demo/login?as=alice');
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      return (window as unknown as { injected?: boolean }).injected === true;
    });
    expect(ran).toBe(false);
    expect(violations.join('\n')).toMatch(/inline script.*blocked/i);
  });

  it('cannot be framed by another site', async () => {
    const page = await h.newPage();
    const violations = watchCsp(page);
    await page.goto('/demo/login?as=alice');
    await page.goto(`${other.url}/frame`);
    await eventually(
      async () => violations.join('\n'),
      (text) => /frame-ancestors/.test(text),
      'Chromium to refuse the frame',
    );
  });

  it.each([
    ['the plugin API', '/forge-api', '/cloud-billing/admin/accounts/mallory/credits'],
    ['an admin page', '/forge-page', '/panel/admin/credits'],
  ])(
    'refuses a form another site posts to %s with the admin’s cookie (403, nothing credited)',
    async (_w, from, to) => {
      const page = await h.newPage();
      await page.goto('/demo/login?as=admin');
      const posted = page.waitForResponse((r) => r.url() === `${h.baseUrl}${to}` && r.request().method() === 'POST');
      await page.goto(`${other.url}${from}`);
      expect((await posted).status()).toBe(403);
      const account = await h.api<{ balance: { credits: string } }>('mallory', 'GET', '/me/account');
      expect(account.balance.credits).toBe('0');
    },
  );
});
