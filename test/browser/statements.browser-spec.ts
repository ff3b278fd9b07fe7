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

/**
 * A user's March closes on April 1st (the demo clock runs billing as it moves): the statements page lists it, the
 * statement page shows its lines, prints without the panel's navigation, and links its PDF.
 */
describeInChromium('pages: monthly statements', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    await h.api('admin', 'POST', '/admin/accounts/grace/credits', { amount: '2000', reference: 'pay-grace-1' });
    await h.api('grace', 'POST', '/me/instances', { planId: 1, locationId: 1, name: 'web-1' });
    await h.api('admin', 'POST', '/admin/accounts/grace/credits', {
      kind: 'adjustment',
      amount: '-1.25',
      reference: 'grace-fix-1',
      note: 'setup fee',
    });
    await h.api('admin', 'POST', '/demo/clock', { now: '2026-04-01T00:00:00Z' });
    page = await h.newPage();
    await page.goto('/demo/login?as=grace');
  }, 120_000);
  afterAll(() => h?.close());

  it('lists the closed month and opens its statement', async () => {
    await page.goto('/panel/statements');
    const rows = await page.locator('[data-testid="statement-list"] tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^March 2026\s/);
    await page.getByRole('link', { name: 'March 2026' }).click();
    await page.waitForURL('**/panel/statements/2026-03');
    const statement = await h.api<{ number: number; closingBalance: { formatted: string } }>(
      'grace',
      'GET',
      '/me/statements/2026-03',
    );
    expect(await page.getByTestId('statement-title').innerText()).toBe(`Statement ${statement.number}: March 2026`);
    expect(await page.getByTestId('statement-closing').innerText()).toBe(statement.closingBalance.formatted);
    const lines = await page.locator('[data-testid="statement-lines"] tbody').innerText();
    expect(lines).toMatch(/Top-up/);
    expect(lines).toMatch(/web-1: /);
    expect(lines).toMatch(/Adjustment: setup fee/);
    await screenshot(page, 'statement-screen');
  });

  it('prints the statement alone: the print button prints, and the print layout hides the navigation', async () => {
    await page.goto('/panel/statements/2026-03');
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByTestId('print-statement').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

    expect(await page.locator('.site-header nav').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('.site-footer').isVisible()).toBe(false);
    expect(await page.getByTestId('print-statement').isVisible()).toBe(false);
    expect(await page.getByTestId('statement-lines').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await screenshot(page, 'statement-print');
    if (UPDATE_DOCS) await page.screenshot({ path: join(DOCS_DIR, 'statement.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  it("links the statement's PDF", async () => {
    await page.goto('/panel/statements/2026-03');
    const href = await page.getByTestId('statement-pdf').getAttribute('href');
    const response = await page.request.get(href ?? '');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
