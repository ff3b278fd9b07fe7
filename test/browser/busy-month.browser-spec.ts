import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  describeInChromium,
  DOCS_DIR,
  Harness,
  screenshot,
  startHarness,
  UPDATE_DOCS,
} from './support/browser-harness';

/** A customer with a few days of varied usage: what the README's report and widget pictures show. */
describeInChromium('pages: a busier month', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    const create = (name: string, planId: number, locationId: number) =>
      h.api<{ id: string }>('carol', 'POST', '/me/instances', { planId, locationId, name });
    await h.api('admin', 'POST', '/admin/accounts/carol/credits', { amount: '15000', reference: 'pay-carol-1' });
    await create('web-frontend', 1, 1);
    await create('postgres-primary', 2, 2);
    await h.api('admin', 'POST', '/demo/clock', { advanceSeconds: 20 * 3600 });
    const trainer = await create('gpu-trainer', 4, 2);
    await h.api('admin', 'POST', '/demo/clock', { advanceSeconds: 30 * 3600 });
    await h.api('carol', 'DELETE', `/me/instances/${trainer.id}`);
    await create('batch-worker', 1, 2);
    await h.api('admin', 'POST', '/demo/clock', { now: '2026-03-14T18:00:00Z' });

    page = await h.newPage();
    await page.goto('/demo/login?as=carol');
  });
  afterAll(() => h?.close());

  it('reports several instances over several days, one of them terminated', async () => {
    await page.goto('/panel/usage');
    const report = await h.api<{ rows: { kind: string; name: string }[]; total: { formatted: string } }>(
      'carol',
      'GET',
      '/me/usage',
    );
    // The instances' own rows; the seeded rules' lines under each are the usage-metered suite's subject.
    const instanceRows = report.rows.filter((row) => row.kind === 'instance');
    expect(instanceRows.map((row) => row.name).sort()).toEqual([
      'batch-worker',
      'gpu-trainer',
      'postgres-primary',
      'web-frontend',
    ]);
    expect(await page.locator('[data-testid="usage-rows"] tbody tr:not(.usage-line)').count()).toBe(4);
    expect(await page.getByTestId('usage-total').innerText()).toBe(report.total.formatted);
    // One bar a day, stacked by kind: a day's height is its segments' together.
    const bars = page.locator('[data-testid="usage-chart"] g:has(rect)');
    expect(await bars.count()).toBe(14);
    const heights = await bars.evaluateAll((groups) =>
      groups.map((group) =>
        Array.from(group.querySelectorAll('rect')).reduce((sum, rect) => sum + Number(rect.getAttribute('height')), 0),
      ),
    );
    expect(heights.slice(0, 9).every((height) => height === 0)).toBe(true);
    expect(heights.slice(9).every((height) => height > 0)).toBe(true);
    await screenshot(page, '30-usage-report-busy-month');
    if (UPDATE_DOCS) await page.screenshot({ path: join(DOCS_DIR, 'report.png'), fullPage: true });

    await page.goto('/panel');
    expect(await page.locator('.cbw-figures').innerText()).toMatch(/days? left/);
    await screenshot(page, '31-dashboard-busy-month');
    if (UPDATE_DOCS) await page.locator('.cbw').screenshot({ path: join(DOCS_DIR, 'widget.png') });
  });

  it('fits a phone-sized screen, tables and chart included', async () => {
    const phone = await h.newPage({ mobile: true });
    await phone.goto('/demo/login?as=carol');
    for (const [path, name] of [
      ['/panel', '32-phone-dashboard'],
      ['/panel/instances/new?groupId=1&planId=1&locationId=1', '33-phone-wizard'],
      ['/panel/usage', '34-phone-usage'],
    ]) {
      await phone.goto(path);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await screenshot(phone, name);
    }
  });
});
