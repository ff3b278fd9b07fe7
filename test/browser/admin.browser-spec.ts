import type { Page } from 'playwright-core';
import { describeInChromium, Harness, screenshot, startHarness, submitForm } from './support/browser-harness';

const fieldError = (page: Page, field: string) => page.locator(`[data-field="${field}"] .field-error`);

describeInChromium('pages: the hosting admin', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    await h.api('admin', 'POST', '/admin/accounts/alice/credits', { amount: '1000', reference: 'pay-alice-1' });
    await h.api('alice', 'POST', '/me/instances', { planId: 2, locationId: 1, name: 'build-box' });
    page = await h.newPage();
    await page.goto('/demo/login?as=admin');
  });
  afterAll(() => h?.close());

  it('is refused to a customer with a 403 page, and not linked for them', async () => {
    const alice = await h.newPage();
    await alice.goto('/demo/login?as=alice');
    expect(await alice.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    const response = await alice.goto('/panel/admin');
    expect(response?.status()).toBe(403);
    expect(await alice.getByRole('heading', { level: 1 }).innerText()).toBe('Admins only');
    expect(await alice.locator('body').innerText()).not.toMatch(/at \w+ \(|Error:/);
    await screenshot(alice, '20-admin-forbidden');
  });

  it('shows settings, currencies, the fleet with capacity bars, the catalog and the accounts', async () => {
    const response = await page.goto('/panel/admin');
    expect(response?.status()).toBe(200);
    for (const heading of ['Billing settings', 'Currencies', 'Locations and hypervisors', 'Plan groups and plans']) {
      expect(await page.getByRole('heading', { name: heading }).isVisible()).toBe(true);
    }
    expect(await page.getByLabel('Low balance threshold (credits)').inputValue()).toBe('10');
    // build-box (C8 Large, 8 vCPU) sits on the first Amsterdam hypervisor of 32.
    const amsterdam1 = page.locator('tr', { hasText: 'hv-ams-1' });
    expect(await amsterdam1.innerText()).toContain('8 / 32 vCPU (25% used)');
    expect(await amsterdam1.locator('.bar > span').first().getAttribute('style')).toBe('width: 25%');
    expect(await page.locator('tr', { hasText: 'hv-nyc-3' }).innerText()).toMatch(/offline/);
    expect(await page.locator('tr[data-account="alice"]').innerText()).toMatch(/\$10\.00\s+1000\s+OK/);
    await screenshot(page, '21-admin-overview');
  });

  it('refuses invalid thresholds with the error beside the field, then saves valid ones', async () => {
    await page.goto('/panel/admin');
    await page.getByLabel('Low balance threshold (credits)').fill('ten');
    await page.getByLabel('Negative balance threshold (credits)').fill('-5');
    expect(await submitForm(page, 'Save settings')).toBe(400);
    expect(await fieldError(page, 'lowBalanceThreshold').innerText()).toContain('Must be a credit amount');
    expect(await page.getByLabel('Low balance threshold (credits)').getAttribute('aria-invalid')).toBe('true');
    // What was typed stays in the form, and the summary links to the field.
    expect(await page.getByLabel('Low balance threshold (credits)').inputValue()).toBe('ten');
    expect(await page.getByTestId('error-summary').getByRole('link').first().getAttribute('href')).toBe(
      '#settings-lowBalanceThreshold',
    );
    await screenshot(page, '22-admin-settings-invalid-format');

    // A rule across fields: the negative threshold must be 0 or below.
    await page.getByLabel('Low balance threshold (credits)').fill('20');
    await page.getByLabel('Negative balance threshold (credits)').fill('5');
    expect(await submitForm(page, 'Save settings')).toBe(400);
    expect(await fieldError(page, 'negativeBalanceThreshold').innerText()).toContain('0 or below');
    expect(await fieldError(page, 'lowBalanceThreshold').count()).toBe(0);
    await screenshot(page, '23-admin-settings-invalid-rule');
    expect((await h.api<{ lowBalanceThreshold: string }>('admin', 'GET', '/admin/settings')).lowBalanceThreshold).toBe(
      '10',
    );

    await page.getByLabel('Negative balance threshold (credits)').fill('-5');
    await page.getByLabel('Suspension threshold (credits)').fill('-10');
    await page.getByLabel('Runway warning (hours)').fill('48');
    await page.getByLabel('Allow creating instances while the balance is negative').check();
    expect(await submitForm(page, 'Save settings')).toBe(303);
    expect(page.url()).toMatch(/saved=settings#settings$/);
    expect(await page.getByTestId('settings-saved').innerText()).toBe('Settings saved.');
    expect(await page.getByLabel('Negative balance threshold (credits)').inputValue()).toBe('-5');
    expect(await h.api('admin', 'GET', '/admin/settings')).toMatchObject({
      lowBalanceThreshold: '20',
      negativeBalanceThreshold: '-5',
      suspensionThreshold: '-10',
      runwayWarningHours: 48,
      allowCreateOnNegativeBalance: true,
    });
    await screenshot(page, '24-admin-settings-saved');
  });

  it('adds credits to an account from the form, once per reference', async () => {
    await page.goto('/panel/admin?creditFor=alice#credit-form');
    expect(await page.getByLabel('User id').inputValue()).toBe('alice');
    await page.getByLabel('Credits to add').fill('250');
    await page.getByLabel('Note').fill('goodwill');
    const reference = await page.getByLabel('Reference').inputValue();
    expect(await submitForm(page, 'Add credits')).toBe(303);
    expect(await page.getByTestId('credited').innerText()).toContain('the balance is $12.50 now');

    // The same reference again (a double submit) adds nothing and says so.
    await page.getByLabel('User id').fill('alice');
    await page.getByLabel('Credits to add').fill('250');
    await page.getByLabel('Reference').fill(reference);
    expect(await submitForm(page, 'Add credits')).toBe(303);
    expect(await page.getByTestId('credited').innerText()).toContain('nothing was added');
    expect(await page.locator('tr[data-account="alice"]').innerText()).toContain('$12.50');

    await page.getByLabel('User id').fill('alice');
    await page.getByLabel('Credits to add').fill('lots');
    expect(await submitForm(page, 'Add credits')).toBe(400);
    expect(await fieldError(page, 'amount').innerText()).toMatch(/credit amount/);
  });

  it('makes another currency the default', async () => {
    await page.goto('/panel/admin#currencies');
    expect(await submitForm(page, 'Make default EUR')).toBe(303);
    expect(await page.locator('tr[data-currency="EUR"]').innerText()).toContain('default');
    expect(await page.getByRole('button', { name: 'Make default EUR' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Make default USD' }).count()).toBe(1);
  });

  it('creates a plan, and says what is wrong with one that cannot be', async () => {
    await page.goto('/panel/admin#plans');
    await page.getByText('Create a plan').click();
    await page.getByLabel('Name', { exact: true }).fill('C4 Medium');
    await page.getByLabel('Slug').fill('c4 medium');
    await page.getByLabel('vCPUs').fill('4');
    await page.getByLabel('RAM (MB)').fill('8192');
    await page.getByLabel('Disk (GB)').fill('80');
    await page.getByLabel('Hourly price (credits)').fill('3');
    await page.getByLabel('Amsterdam').check();
    expect(await submitForm(page, 'Create plan')).toBe(400);
    expect(await fieldError(page, 'slug').innerText()).toContain('lowercase letters');
    expect(await page.locator('details', { hasText: 'Create a plan' }).getAttribute('open')).not.toBeNull();
    expect(await page.getByLabel('Amsterdam').isChecked()).toBe(true);
    await screenshot(page, '25-admin-plan-invalid');

    await page.getByLabel('Slug').fill('c4-medium');
    expect(await submitForm(page, 'Create plan')).toBe(303);
    const row = page.locator('#plans tr', { hasText: 'C4 Medium' });
    expect(await row.innerText()).toMatch(/4 vCPU · 8 GB RAM · 80 GB disk\s+3\s+—\s+Amsterdam/);
  });
});
