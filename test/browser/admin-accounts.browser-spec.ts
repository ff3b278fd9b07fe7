import type { Page } from 'playwright-core';
import { describeInChromium, Harness, screenshot, startHarness, submitForm } from './support/browser-harness';

interface Entry {
  id: number;
  kind: string;
}

// 1 credit = $0.01 in the demo; the browser clock starts on 10 March 2026, 09:00 UTC.
describeInChromium('pages: an admin’s promo codes, refunds, chargebacks and grants', () => {
  let h: Harness;
  let page: Page;
  let topUpId: number;

  beforeAll(async () => {
    h = await startHarness();
    const credited = await h.api<{ entry: Entry }>('admin', 'POST', '/admin/accounts/alice/credits', {
      amount: '1000',
      reference: 'pay-alice-1',
    });
    topUpId = credited.entry.id;
    page = await h.newPage();
    await page.goto('/demo/login?as=admin');
  });
  afterAll(() => h?.close());

  const row = (entryId: number) => page.locator(`tr[data-entry="${entryId}"]`);
  const balance = () => page.getByTestId('account-balance').innerText();

  it('creates a promo code on the page and counts its redemption', async () => {
    await page.goto('/panel/admin');
    await page.getByRole('link', { name: 'Promo codes' }).click();
    await page.getByRole('heading', { name: 'Promo codes', level: 1 }).waitFor();
    await page.getByLabel('Code', { exact: true }).fill('summer3');
    await page.getByLabel('Credits per redemption').fill('300');
    await page.getByLabel('Redemptions in all').fill('5');
    await page.getByLabel('Credit expires at (UTC)').fill('2026-04-01T00:00');
    await page.getByLabel('Or credit valid for (days)').fill('30');
    // Both credit expiries at once is refused, beside the fields, and what was typed stays.
    expect(await submitForm(page, 'Create promo code')).toBe(400);
    expect(await page.locator('[data-field="creditValidDays"] .field-error').innerText()).toContain('not both');
    expect(await page.getByLabel('Code', { exact: true }).inputValue()).toBe('summer3');

    await page.getByLabel('Or credit valid for (days)').fill('');
    expect(await submitForm(page, 'Create promo code')).toBe(303);
    expect(await page.getByTestId('promo-saved').innerText()).toBe('Promo code saved.');
    const code = page.locator('tr[data-code="SUMMER3"]');
    expect(await code.getByTestId('redemptions').innerText()).toBe('0 / 5');
    expect(await code.innerText()).toContain('$3.00');
    expect(await code.innerText()).toContain('1 Apr 2026, 00:00 UTC');

    await h.api('bob', 'POST', '/me/promo-codes/redeem', { code: 'SUMMER3' });
    await page.reload();
    expect(await code.getByTestId('redemptions').innerText()).toBe('1 / 5');
    await screenshot(page, 'admin-promo-codes');

    page.once('dialog', (dialog) => void dialog.accept());
    expect(await submitForm(page, 'End now SUMMER3')).toBe(303);
    expect(await code.innerText()).toContain('ended');
    await expect(h.api('carol', 'POST', '/me/promo-codes/redeem', { code: 'SUMMER3' })).rejects.toThrow(/409/);
  });

  it('refunds part of a top-up, refuses more than is left beside the amount, charges back the rest', async () => {
    await page.goto('/panel/admin#accounts');
    await page.getByRole('link', { name: 'Ledger and refunds of alice' }).click();
    await page.getByRole('heading', { name: 'Account alice' }).waitFor();
    expect(await balance()).toBe('$10.00');
    expect(await row(topUpId).getByTestId('refundable').innerText()).toBe('$10.00 left to refund');

    await row(topUpId).getByLabel('Credits to refund').fill('250');
    expect(await submitForm(page, `Refund top-up #${topUpId}`)).toBe(303);
    expect(await page.getByTestId('account-done').innerText()).toBe('Refund posted.');
    expect(await balance()).toBe('$7.50');
    const refund = page.locator('tbody tr').first();
    expect(await refund.innerText()).toMatch(/Top-up refunded\s+reverses #\d+\s+-\$2\.50/);
    expect(await refund.getByTestId('reverses').innerText()).toBe(`reverses #${topUpId}`);
    expect(await row(topUpId).getByTestId('refundable').innerText()).toBe('$7.50 left to refund');

    await row(topUpId).getByLabel('Credits to refund').fill('800');
    expect(await submitForm(page, `Refund top-up #${topUpId}`)).toBe(409);
    const error = row(topUpId).locator('[data-field="amount"] .field-error');
    expect(await error.innerText()).toContain(`Only 750 credits of top-up ${topUpId} are left to refund`);
    expect(await row(topUpId).getByLabel('Credits to refund').getAttribute('aria-invalid')).toBe('true');
    expect(await row(topUpId).getByLabel('Credits to refund').inputValue()).toBe('800');
    expect(await balance()).toBe('$7.50');
    await screenshot(page, 'admin-account-refund-refused');

    page.once('dialog', (dialog) => void dialog.accept());
    expect(await submitForm(page, `Charge back the rest of top-up #${topUpId}`)).toBe(303);
    expect(await page.getByTestId('account-done').innerText()).toBe('Chargeback posted.');
    expect(await balance()).toBe('$0.00');
    const chargeback = page.locator('tbody tr').first();
    expect(await chargeback.innerText()).toMatch(/Chargeback\s+reverses #\d+\s+-\$7\.50/);
    expect(await row(topUpId).getByTestId('refundable').innerText()).toBe('$0.00 left to refund');
    expect(await row(topUpId).getByRole('button').count()).toBe(0);
  });

  it('grants promotional credit with an expiry, and refuses an expiry in the past beside the field', async () => {
    await page.goto('/panel/admin/accounts/alice#grants');
    await page.getByLabel('Credits to grant').fill('200');
    await page.getByLabel('Expires at (UTC)').fill('2026-03-01T00:00');
    expect(await submitForm(page, 'Grant credit')).toBe(400);
    expect(await page.locator('[data-field="expiresAt"] .field-error').innerText()).toContain('Must be in the future');
    expect(await page.getByLabel('Credits to grant').inputValue()).toBe('200');

    await page.getByLabel('Expires at (UTC)').fill('2026-04-01T12:00');
    await page.getByLabel('Note').fill('spring campaign');
    expect(await submitForm(page, 'Grant credit')).toBe(303);
    expect(await page.getByTestId('account-done').innerText()).toBe('Credit granted.');
    const grant = page.locator('#grants tbody tr').first();
    expect(await grant.innerText()).toMatch(/Promotional\s+\$2\.00\s+\$2\.00\s+0\s+1 Apr 2026, 12:00 UTC\s+open/);
    expect(await balance()).toBe('$2.00');
    expect(await page.getByTestId('account-credit-split').innerText()).toBe(
      'Paid $0.00 · promotional $2.00 · $2.00 expires 1 Apr 2026, 12:00 UTC',
    );
    await screenshot(page, 'admin-account-grant');
  });
});
