import type { Page } from 'playwright-core';
import { describeInChromium, Harness, screenshot, startHarness, submitForm } from './support/browser-harness';

describeInChromium('pages: redeeming a promo code', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    // 1 credit = $0.01 in the demo: 500 credits are $5.00, valid for 30 days from the browser clock's start.
    await h.api('admin', 'POST', '/admin/promo-codes', { code: 'SPRING5', amount: '500', creditValidDays: 30 });
    await h.api('admin', 'POST', '/admin/accounts/carla/credits', { amount: '1000', reference: 'pay-carla-1' });
    page = await h.newPage();
    await page.goto('/panel');
    await page.getByLabel('User id').fill('carla');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });
  afterAll(() => h?.close());

  it('says beside the field why a code is refused, and writes nothing', async () => {
    await page.goto('/panel/top-up');
    await page.getByLabel('Promo code').fill('WINTER99');
    expect(await submitForm(page, 'Redeem')).toBe(404);
    expect(await page.locator('#promo-code-error').innerText()).toContain('there is no promo code WINTER99');
    expect(await page.getByLabel('Promo code').getAttribute('aria-invalid')).toBe('true');
  });

  it('redeems a code: the dashboard says so and the widget shows the promotional credit and its expiry', async () => {
    await page.getByLabel('Promo code').fill('spring5');
    expect(await submitForm(page, 'Redeem')).toBe(303);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('status').first().innerText()).toContain('Your promo code was redeemed');
    expect(await page.locator('.cbw-balance').innerText()).toBe('$15.00');
    expect(await page.locator('.cbw-credit').innerText()).toBe(
      'Paid $10.00 · promotional $5.00\n$5.00 expires on 9 April 2026 (UTC)',
    );
    await screenshot(page, 'promo-code-redeemed');
  });

  it('refuses the same code a second time', async () => {
    await page.goto('/panel/top-up');
    await page.getByLabel('Promo code').fill('SPRING5');
    expect(await submitForm(page, 'Redeem')).toBe(409);
    expect(await page.locator('#promo-code-error').innerText()).toContain('you have already redeemed SPRING5');
  });
});
