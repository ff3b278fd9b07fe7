import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  BROWSER_CLOCK_START,
  describeInChromium,
  DOCS_DIR,
  Harness,
  screenshot,
  startHarness,
  submitForm,
  UPDATE_DOCS,
} from './support/browser-harness';

const card = (page: Page) => page.getByTestId('budget-card');

describeInChromium('pages: a monthly budget', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    // A user and a plan of their own, so neither the seeded users' spend nor the seeded plans' rules play a part.
    const group = await h.api<{ id: number }>('admin', 'POST', '/admin/plan-groups', {
      name: 'Budget test',
      slug: 'budget-test',
    });
    const plan = await h.api<{ id: number }>('admin', 'POST', '/admin/plans', {
      groupId: group.id,
      name: 'B1',
      slug: 'budget-b1',
      vcpus: 1,
      ramMb: 1024,
      diskGb: 10,
      hourlyPrice: '1.5',
    });
    await h.api('admin', 'POST', '/admin/accounts/carol/credits', { amount: '1000', reference: 'pay-carol-1' });
    await h.api('admin', 'POST', '/host/instances', {
      id: 'carol-web',
      userId: 'carol',
      planId: plan.id,
      name: 'carol-web',
      at: BROWSER_CLOCK_START.toISOString(),
    });
    page = await h.newPage();
    await page.goto('/panel');
    await page.getByLabel('User id').fill('carol');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });
  afterAll(() => h?.close());

  it('refuses a bad budget beside its field and saves nothing', async () => {
    await page.getByRole('link', { name: 'Budget' }).click();
    await page.getByRole('heading', { name: 'Set a monthly budget' }).waitFor();
    await page.getByLabel('Budget per month (USD)').fill('-5');
    expect(await submitForm(page, 'Save budget')).toBe(400);
    expect(await page.locator('[data-field="amount"] .field-error').innerText()).toContain('0 or more');
    await page.getByLabel('Budget per month (USD)').fill('5');
    await page.getByLabel('Alert levels (percent)').fill('50, 2000');
    expect(await submitForm(page, 'Save budget')).toBe(400);
    expect(await page.locator('[data-field="levels"] .field-error').innerText()).toMatch(/1000/);
    expect(await card(page).count()).toBe(0);
  });

  it('sets a budget, then shows the alert once billing spends half of it', async () => {
    // 4 hours of C2 Small: $0.06 at $0.01 a credit.
    await page.getByLabel('Budget per month (USD)').fill('0.06');
    await page.getByLabel('Alert levels (percent)').fill('50, 80');
    await page.getByLabel('Email me and stop me creating new instances this month').check();
    expect(await submitForm(page, 'Save budget')).toBe(303);
    expect(await page.getByRole('status').first().innerText()).toContain('Your budget is saved.');
    expect(await card(page).getByTestId('budget-spent').innerText()).toBe('$0.00');
    expect(await card(page).getByTestId('budget-alerts').innerText()).toBe('No alert reached this month.');
    expect(await card(page).getByTestId('budget-forecast').innerText()).toBe(
      'At this rate you will reach your budget on the 10th.',
    );

    // Two hours settle: 3 credits of 6.
    await h.api('admin', 'POST', '/demo/clock', { now: '2026-03-10T11:00:00Z' });
    await page.reload();
    expect(await card(page).getByTestId('budget-spent').innerText()).toBe('$0.03');
    expect(await card(page).getByTestId('budget-percent').innerText()).toBe('(50 %)');
    expect(await card(page).getByTestId('budget-alerts').innerText()).toBe('Alerts reached this month: 50 %');
    await screenshot(page, 'budget-01-half-spent');
    if (UPDATE_DOCS) await card(page).screenshot({ path: join(DOCS_DIR, 'budget-card.png') });

    // The widget on the dashboard says the same.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    expect(await page.locator('.cbw-budget-alerts').innerText()).toBe('Alerts reached this month: 50 %');
    expect(await page.locator('.cbw-budget').innerText()).toContain('$0.03 of $0.06');
  });

  it('blocks new instances once the budget is used up, and says so', async () => {
    await h.api('admin', 'POST', '/demo/clock', { now: '2026-03-10T13:00:00Z' });
    await page.goto('/panel/budget');
    expect(await card(page).getByTestId('budget-alerts').innerText()).toBe(
      'Alerts reached this month: 50 %, 80 %, 100 %',
    );
    expect(await card(page).getByRole('status').innerText()).toContain('new instances are paused until next month');
    await screenshot(page, 'budget-02-used-up');
  });
});
