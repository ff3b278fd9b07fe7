import type { Page } from 'playwright-core';
import {
  describeInChromium,
  Harness,
  screenshot,
  startHarness,
  submitForm,
  textBecomes,
} from './support/browser-harness';

const fieldError = (page: Page, field: string) => page.locator(`[data-field="${field}"] .field-error`);

// Keys of their own, so a seeded catalog's rules and counters (ipv4, traffic-out) are no obstacle.
describeInChromium('pages: resource rules and metered counters', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    await h.api('admin', 'POST', '/admin/accounts/alice/credits', { amount: '1000', reference: 'pay-alice-1' });
    page = await h.newPage();
    await page.goto('/demo/login?as=admin');
  });
  afterAll(() => h?.close());

  it('lets an admin add a rule to a plan, with the error beside the field first', async () => {
    await page.goto('/panel/admin#plans');
    await page.getByRole('link', { name: 'Resource rules of C2 Small' }).click();
    await page.getByRole('heading', { name: 'Resource rules of C2 Small' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Extra IPv4 address');
    await page.getByLabel('Key', { exact: true }).fill('extra-ipv4');
    await page.getByLabel('Unit', { exact: true }).fill('address');
    await page.getByLabel('Price (credits)').fill('ten');
    // A new rule starts as NoCloud's usual one: 30 days, postpaid, one unit, every state but terminated.
    expect(await page.getByLabel('Period (seconds)').inputValue()).toBe('2592000');
    expect(await page.getByLabel('Terminated').isChecked()).toBe(true);
    expect(await page.getByLabel('Bill in every state except those ticked').isChecked()).toBe(true);
    expect(await submitForm(page, 'Add rule')).toBe(400);
    expect(await fieldError(page, 'price').innerText()).toContain('Must be a non-negative credit amount');
    expect(await page.getByLabel('Key', { exact: true }).inputValue()).toBe('extra-ipv4');
    await screenshot(page, '30-admin-rule-invalid');

    await page.getByLabel('Price (credits)').fill('10');
    expect(await submitForm(page, 'Add rule')).toBe(303);
    expect(await page.getByTestId('rule-saved').innerText()).toBe('Rule added.');
    expect(await page.locator('tr[data-rule="extra-ipv4"]').innerText()).toMatch(
      /Extra IPv4 address[\s\S]*10 per 30 days\s+postpaid\s+1 address\s+all but terminated/,
    );
    await screenshot(page, '31-admin-rule-added');
  });

  it('lets an admin add a counter with price ranges, a row at a time', async () => {
    await page.goto('/panel/admin');
    await page.getByRole('link', { name: 'Metered counters' }).click();
    await page.getByRole('heading', { name: 'Metered counters' }).waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Incoming traffic');
    await page.getByLabel('Key', { exact: true }).fill('traffic-in');
    await page.getByLabel('Unit', { exact: true }).fill('GB');
    await page.getByLabel('Range 1: price').fill('0');
    await page.getByLabel('Range 2: from').fill('500');
    await page.getByLabel('Range 2: price').fill('0.02');
    // One more row, without saving: what was typed stays.
    expect(await page.getByLabel('Range 3: from').count()).toBe(0);
    expect(await submitForm(page, 'Add a price range')).toBe(200);
    expect(await page.getByLabel('Range 2: price').inputValue()).toBe('0.02');
    await page.getByLabel('Range 3: from').fill('5000');
    await page.getByLabel('Range 3: price').fill('-1');
    expect(await submitForm(page, 'Add counter')).toBe(400);
    expect(await page.locator('#counter-range-2-error').innerText()).toContain('Price: Must be a non-negative');
    expect(await page.getByLabel('Range 3: price').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '32-admin-counter-invalid');

    await page.getByLabel('Range 3: price').fill('0.015');
    expect(await submitForm(page, 'Add counter')).toBe(303);
    expect(await page.getByTestId('counter-saved').innerText()).toBe('Counter added.');
    expect(await page.locator('tr[data-counter="traffic-in"]').innerText()).toMatch(
      /Incoming traffic[\s\S]*per GB\s+from 0: 0 · from 500: 0\.02 · from 5000: 0\.015\s+every plan/,
    );
    await screenshot(page, '33-admin-counter-added');
  });

  it('shows the plan’s rule and counter in the wizard’s cost preview', async () => {
    const alice = await h.newPage();
    await alice.goto('/demo/login?as=alice');
    await alice.goto('/panel/instances/new');
    await alice.getByRole('radio', { name: /High Compute/ }).check();
    await alice.getByRole('radio', { name: /C2 Small/ }).check();
    await alice.getByRole('radio', { name: /Amsterdam/ }).check();
    // 10 credits per 30 days at $0.01 a credit.
    await textBecomes(
      alice,
      '[data-testid="quote-rule-extra-ipv4"]',
      'Extra IPv4 address: $0.00013889 an hour, 1 included',
    );
    expect(await alice.getByTestId('quote-counter-traffic-in').innerText()).toBe(
      'Incoming traffic: first 500 GB a month included, then $0.0002 per GB, from 5,000 GB $0.00015 per GB',
    );
    // C2 Small's 1.5 credits an hour, the address's 0.013889 and the seeded rules' 0.458333 (IPv4, 330 per 30 days)
    // and 0.25 (backup, 180 per 30 days): 2.222222.
    expect(await alice.getByTestId('quote-hourly').innerText()).toBe('$0.02222222');
    // Named among the rules the figures include (the seeded ones are named there too).
    expect(await alice.getByTestId('preview').innerText()).toMatch(/The figures above include [^;]*Extra IPv4 address/);
    await screenshot(alice, '34-wizard-metered-lines');

    // Another plan has no rule of this suite's; the counter applies to every plan. 6 credits an hour and the seeded
    // rules' 0.708333.
    await alice.getByRole('radio', { name: /C8 Large/ }).check();
    await alice.getByRole('radio', { name: /Amsterdam/ }).check();
    await textBecomes(alice, '[data-testid="quote-hourly"]', '$0.06708333');
    expect(await alice.getByTestId('quote-rule-extra-ipv4').count()).toBe(0);
    expect(await alice.getByTestId('quote-counter-traffic-in').count()).toBe(1);
  });
});
