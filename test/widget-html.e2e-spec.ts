import { createPlan, setClock, topUp } from './support/billing-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** GET /me/widget.html: the fragment a host embeds, in the user's currency (1 credit = €0.50). */
describe('GET /me/widget.html', () => {
  let t: TestApp;
  const hostile = '<img src=x onerror=alert(1)> & "co"';
  const html = async () => {
    const response = await t.as('alice').get('/me/widget.html').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    return response.text;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const admin = t.as('admin');
    await admin
      .patch('/admin/settings', { lowBalanceThreshold: '10', negativeBalanceThreshold: '0', suspensionThreshold: '-5' })
      .expect(200);
    await admin
      .post('/admin/currencies', { code: 'EUR', name: 'Euro', valuePerCredit: '0.5', prefix: '€', decimals: 2 })
      .expect(201);
    await t.as('alice').patch('/me/preferences', { currency: 'EUR' }).expect(200);
    const plan = await createPlan(t, { hourlyPrice: '4' });
    await topUp(t, 'alice', '22', 'alice-1').expect(201);
    await admin
      .post('/host/instances', { id: 'vm-1', userId: 'alice', planId: plan, name: hostile, at: '2026-03-10T12:00:00Z' })
      .expect(201);
    await setClock(t, '2026-03-10T15:00:00Z'); // 12 charged: 10 left, low
  });
  afterAll(() => t.close());

  it('shows the balance, the status in words, the month, the burn rate and the runway', async () => {
    const page = await html();
    expect(page).toContain('<p class="cbw-balance">€5.00</p>');
    expect(page).toContain('class="cbw cbw--low"');
    expect(page).toMatch(/<span class="cbw-sr">Account status: <\/span>Low balance\s*<\/p>/);
    expect(page).toContain('Top up soon to keep your instances running.');
    expect(page).toContain('<dt>Spent in March 2026</dt><dd>€6.00</dd>');
    expect(page).toContain('<dd>€2.00 per hour</dd>');
    expect(page).toContain('<dd>about 4 hours left</dd>');
    expect(page).toContain('href="/panel/top-up"');
    expect(page).toContain('href="/panel/usage"');
  });

  it("escapes an instance's name", async () => {
    const page = await html();
    expect(page).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; &quot;co&quot;');
    expect(page).not.toContain('<img');
  });

  it('is a self-contained, accessible fragment: its own scoped styles, no scripts or external assets', async () => {
    const page = await html();
    expect(page.startsWith('<section class="cbw')).toBe(true);
    expect(page.trimEnd().endsWith('</section>')).toBe(true);
    expect(page).not.toMatch(/<html|<head|<body|<script|<link|<iframe|@import|url\(|https?:/i);
    expect(page).toContain('aria-label="Billing summary"');
    expect(page).toMatch(/<h2 class="cbw-title">/);
    // Every rule of its stylesheet is scoped under the widget's root class.
    const css = /<style>([\s\S]*)<\/style>/.exec(page)?.[1] ?? '';
    const selectors = css.match(/[^{}]+(?=\{)/g) ?? [];
    expect(selectors.length).toBeGreaterThan(10);
    for (const group of selectors) for (const selector of group.split(',')) expect(selector.trim()).toMatch(/^\.cbw\b/);
  });

  it('says when the instances are suspended', async () => {
    await setClock(t, '2026-03-10T19:00:00Z'); // 4 more hours: -6, below the suspension threshold
    const page = await html();
    expect(page).toContain('class="cbw cbw--suspended"');
    expect(page).toMatch(/Account status: <\/span>Suspended/);
    expect(page).toContain('Your instances are suspended. Top up to resume them.');
    expect(page).toContain('<dd>Paused while suspended</dd>');
    expect(page).toContain('<p class="cbw-balance">-€3.00</p>');
  });

  it('shows a burn rate with the decimals it needs: 1.5 credits an hour at $0.01 is $0.015', async () => {
    const plan = await createPlan(t, { hourlyPrice: '1.5' });
    await topUp(t, 'bob', '100', 'bob-1').expect(201);
    await t
      .as('admin')
      .post('/host/instances', { id: 'vm-bob', userId: 'bob', planId: plan, name: 'bob', at: '2026-03-10T15:00:00Z' })
      .expect(201);
    const { body } = await t.as('bob').get('/me/widget').expect(200);
    expect(body.burnRatePerHour).toEqual({ credits: '1.5', amount: '0.015', currency: 'USD', formatted: '$0.015' });
    expect((await t.as('bob').get('/me/widget.html').expect(200)).text).toContain('<dd>$0.015 per hour</dd>');
  });
});
