import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  describeInChromium,
  DOCS_DIR,
  Harness,
  screenshot,
  startHarness,
  submitForm,
  textBecomes,
  UPDATE_DOCS,
} from './support/browser-harness';

/** The text of every amount-bearing element on the dashboard, to compare before and after. */
const widgetBalance = (page: Page) => page.locator('.cbw-balance').innerText();
const widgetFigure = (page: Page, term: RegExp) =>
  page
    .locator('.cbw-figures div')
    .filter({ has: page.locator('dt', { hasText: term }) })
    .locator('dd')
    .innerText();

describeInChromium('pages: a customer', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    // $10.00 of credit (1 credit = $0.01) for alice; bob is in the red, so the wizard must refuse him.
    await h.api('admin', 'POST', '/admin/accounts/alice/credits', { amount: '1000', reference: 'pay-alice-1' });
    await h.api('admin', 'POST', '/admin/accounts/bob/credits', {
      amount: '-50',
      reference: 'adj-bob-1',
      kind: 'adjustment',
      note: 'unpaid invoice',
    });
    page = await h.newPage();
  });
  afterAll(() => h?.close());

  it('signs in with the form and shows the dashboard with the widget', async () => {
    const response = await page.goto('/panel');
    expect(response?.status()).toBe(200);
    await page.getByLabel('User id').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await widgetBalance(page)).toBe('$10.00');
    expect(await page.locator('.cbw-status').innerText()).toMatch(/OK/);
    expect(await page.getByText('No instances running').isVisible()).toBe(true);
    await screenshot(page, '01-dashboard-signed-in');
  });

  it('walks the wizard: group, plan with its price, location, live cost preview, then creates the instance', async () => {
    await page.getByRole('link', { name: 'Create an instance' }).click();
    await page.getByRole('heading', { name: 'Create an instance' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create instance' }).isDisabled()).toBe(true);

    await page.getByRole('radio', { name: /High Compute/ }).check();
    const plan = page.getByRole('radio', { name: /C2 Small/ });
    await plan.waitFor();
    expect(await page.locator('label[for="plan-1"]').innerText()).toContain('$0.015 an hour, at most $9.00 a month');
    await plan.check();
    await page.getByRole('radio', { name: /Amsterdam/ }).check();
    // The plan's 1.5 credits an hour plus its seeded rules that bill while running: the IPv4 address at 330 per
    // 30 days (330 × 3,600 / 2,592,000 = 0.458333) and the backup at 180 per 30 days (0.25) = 2.208333 credits.
    await textBecomes(page, '[data-testid="quote-hourly"]', '$0.02208333');
    // 730 hours: the plan capped at 900, the address 330 × 730 / 720 = 334.583333, the backup 180 × 730 / 720 =
    // 182.5; 1,417.083333 credits.
    expect(await page.getByTestId('quote-monthly').innerText()).toBe('$14.17');
    expect(await page.getByTestId('quote-balance').innerText()).toBe('$10.00');

    // A bigger plan changes the preview without a reload; the URL keeps the choice.
    await page.getByRole('radio', { name: /C8 Large/ }).check();
    await page.getByRole('radio', { name: /Amsterdam/ }).check();
    // 6 credits an hour and the same rules' 0.708333.
    await textBecomes(page, '[data-testid="quote-hourly"]', '$0.06708333');
    expect(page.url()).toContain('planId=2');
    await page.getByRole('radio', { name: /C2 Small/ }).check();
    await page.getByRole('radio', { name: /Amsterdam/ }).check();
    await textBecomes(page, '[data-testid="quote-hourly"]', '$0.02208333');

    await page.getByLabel('Instance name').fill('web-1');
    await screenshot(page, '02-wizard-preview');
    if (UPDATE_DOCS) await page.screenshot({ path: join(DOCS_DIR, 'wizard.png'), fullPage: true });

    await page.getByRole('button', { name: 'Create instance' }).click();
    await page.waitForURL(/\/panel\?created=/);
    expect(await page.getByRole('status').first().innerText()).toContain(
      '“web-1” was created in Amsterdam on C2 Small',
    );
    const row = page.locator('[data-testid="instances"] tbody tr', { hasText: 'web-1' });
    expect(await row.innerText()).toMatch(/C2 Small\s+Amsterdam\s+\$0\.015\/h\s+running/i);
    await screenshot(page, '03-dashboard-instance-created');
  });

  it('keeps the choice and says what is wrong when the name is blank', async () => {
    await page.goto('/panel/instances/new?groupId=4&planId=5&locationId=1');
    // B1 Mini's 300 a month and the rules' 334.583333 + 182.5: 817.083333 credits.
    expect(await page.getByTestId('quote-monthly').innerText()).toBe('$8.17');
    expect(await submitForm(page, 'Create instance')).toBe(400);
    expect(await page.getByTestId('wizard-error').innerText()).toContain('Check the name');
    expect(await page.locator('#instance-name-error').innerText()).toContain('Must not be blank');
    expect(await page.getByLabel('Instance name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('radio', { name: /B1 Mini/ }).isChecked()).toBe(true);
    await screenshot(page, '03b-wizard-blank-name');
  });

  it('works as plain forms when scripts are off', async () => {
    const plain = await h.newPage({ noScript: true });
    await plain.goto('/demo/login?as=alice');
    await plain.goto('/panel/instances/new');
    await plain.getByRole('radio', { name: /High Storage/ }).check();
    await plain.getByRole('button', { name: 'Update choices and preview' }).click();
    await plain.getByRole('radio', { name: /S2 1 TB/ }).check();
    await plain.getByRole('button', { name: 'Update choices and preview' }).click();
    await plain.getByRole('radio', { name: /New York/ }).check();
    await plain.getByRole('button', { name: 'Update choices and preview' }).click();
    // 2.5 credits an hour and the rules' 0.708333.
    expect(await plain.getByTestId('quote-hourly').innerText()).toBe('$0.03208333');
    expect(plain.url()).toContain('planId=3');
  });

  it('says why creation is refused, with the keyboard alone', async () => {
    const bob = await h.newPage();
    await bob.goto('/demo/login?as=bob');
    await bob.goto('/panel/instances/new');
    await bob.getByRole('radio', { name: /GPU/ }).focus();
    await bob.keyboard.press('Space');
    await bob.getByRole('radio', { name: /G1 A100/ }).waitFor();
    // Focus stays on the choice just made, so Tab moves on to the next step.
    expect(await bob.evaluate(() => document.activeElement?.id)).toBe('group-3');
    await bob.keyboard.press('Tab');
    await bob.keyboard.press('Space');
    await bob.getByRole('radio', { name: /New York/ }).waitFor();
    await bob.keyboard.press('Tab');
    await bob.keyboard.press('Space');
    // Bob is 50 credits below 0 and an hour of the A100 with its rules is 120.708333: the page says what to add.
    const reason = await textBecomes(bob, '[data-testid="refusal"]', 'more credit');
    expect(reason).toContain('add $1.71 (170.708333 credits) more credit to create this instance');
    expect(await bob.getByRole('button', { name: 'Create instance' }).isDisabled()).toBe(true);
    expect(await bob.getByRole('status').first().textContent()).toContain('Cannot create this instance');
    await screenshot(bob, '04-wizard-refused');
  });

  it('shows the widget and the report change when the clock moves', async () => {
    await page.goto('/panel');
    const before = { balance: await widgetBalance(page), spent: await widgetFigure(page, /Spent/) };
    await h.api('admin', 'POST', '/demo/clock', { advanceSeconds: 5 * 3600 });
    await page.reload();
    const after = { balance: await widgetBalance(page), spent: await widgetFigure(page, /Spent/) };
    expect(after.balance).not.toBe(before.balance);
    expect(after.spent).not.toBe(before.spent);
    // Five hours of C2 Small at 1.5 credits: 7.5 credits; five hours of the IPv4 address at 330 per 30 days:
    // 330 × 5 × 3,600 / 2,592,000 = 2.291667; the backup's first 30 days paid up front: 180. 189.791667 credits,
    // $1.90; the balance 1,000 − 189.791667 = 810.208333 credits, $8.10.
    expect(after.spent).toBe('$1.90');
    expect(after.balance).toBe('$8.10');
    await screenshot(page, '05-dashboard-after-five-hours');

    await page
      .locator('.cbw')
      .getByRole('link', { name: /Usage report/ })
      .click();
    await page.getByRole('heading', { name: 'Usage in March 2026' }).waitFor();
    expect(await page.getByTestId('usage-total').innerText()).toBe('$1.90');
    const row = await page.locator('[data-testid="usage-rows"] tbody tr').first().innerText();
    expect(row.split('\t').map((cell) => cell.trim())).toEqual([
      'web-1',
      'C2 Small',
      'Amsterdam',
      '$0.015',
      '5',
      '$0.08',
    ]);
    // The plan's rules, each on a line of its own under the instance: 2.291667 credits ($0.02) and 180 ($1.80).
    const ruleLine = (item: string) =>
      page.locator('[data-testid="usage-rows"] tr.usage-line[data-kind="rule"]', { hasText: item }).innerText();
    expect(await ruleLine('IPv4 address')).toMatch(/5 address-hours · \$3\.30 per address every 30 days\s+\$0\.02$/);
    expect(await ruleLine('Backups')).toMatch(
      /1 backup · \$1\.80 per backup every 30 days, paid in advance\s+\$1\.80$/,
    );
    // Ten days so far this month, one bar each (today's stacked from the instance's and the rules' costs).
    expect(await page.locator('[data-testid="usage-chart"] g:has(rect)').count()).toBe(10);
    expect(await page.locator('[data-testid="usage-chart"] desc').textContent()).toContain('$1.90 on 10 Mar');
    await screenshot(page, '06-usage-report');
  });

  it('downloads the CSV with a header, the instance row, its rules and the total', async () => {
    await page.goto('/panel/usage?month=2026-03');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    expect(download.suggestedFilename()).toBe('usage-2026-03.csv');
    const lines = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe(
      'Instance ID,Instance,Kind,Plan,Location,Hourly rate (USD),Hourly rate (credits),Hours,' +
        'Key,Item,Quantity,Unit,Rate,Cost (USD),Cost (credits),Adjusted',
    );
    expect(lines[1]).toMatch(/^[^,]+,web-1,instance,C2 Small,Amsterdam,0\.015,1\.5,5,,,,,,0\.08,7\.5,no$/);
    const ruleLine = (key: string) => lines.find((line) => line.includes(`,web-1,rule,,,,,,${key},`));
    expect(ruleLine('ipv4')).toMatch(
      /,ipv4,IPv4 address,5,address-hours,\$3\.30 per address every 30 days,0\.02,2\.291667,$/,
    );
    expect(ruleLine('backup')).toMatch(
      /,backup,Backups,1,backup,"\$1\.80 per backup every 30 days, paid in advance",1\.80,180,$/,
    );
    // 7.5 + 2.291667 + 180 credits.
    expect(lines[4]).toMatch(/^Total,.*,1\.90,189\.791667,$/);
  });

  it('switches the currency and every amount follows', async () => {
    await page.getByLabel('Currency').selectOption('EUR');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/panel\/usage\?month=2026-03$/);
    // 189.791667 credits at €0.0092 a credit: €1.746.
    expect(await page.getByTestId('usage-total').innerText()).toBe('€1.75');
    expect(await page.locator('main').innerText()).not.toContain('$');

    await page.goto('/panel');
    // 810.208333 credits at €0.0092: €7.454.
    expect(await widgetBalance(page)).toBe('€7.45');
    expect(await page.getByTestId('instance-rate').first().innerText()).toMatch(/^€0\.0138\/h$/);
    expect(await page.locator('main').innerText()).not.toContain('$');
    await screenshot(page, '07-dashboard-in-euro');

    await page.getByRole('link', { name: 'New instance', exact: true }).first().click();
    await page.getByRole('radio', { name: /Budget/ }).check();
    await textBecomes(page, 'label[for="plan-5"]', '€2.76 a month');
    await page.getByLabel('Currency').selectOption('USD');
    await page.getByRole('button', { name: 'Apply' }).click();
    await textBecomes(page, 'label[for="plan-5"]', '$3.00 a month');
  });

  it('terminates an instance after asking', async () => {
    await page.goto('/panel');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Terminate web-1' }).click();
    await page.waitForURL(/terminated=/);
    expect(await page.getByRole('status').first().innerText()).toContain('“web-1” was terminated');
    expect(await page.getByText('No instances running').isVisible()).toBe(true);
    expect(await page.locator('details', { hasText: 'Terminated instances (1)' }).count()).toBe(1);
  });

  it('tops up from the widget, with a simulated payment', async () => {
    await page.goto('/panel');
    const before = await widgetBalance(page);
    await page.locator('.cbw').getByRole('link', { name: 'Top up' }).click();
    await page.getByRole('heading', { name: 'Top up' }).waitFor();
    await page.getByLabel('Amount (USD)').fill('-3');
    expect(await submitForm(page, 'Pay (simulated)')).toBe(400);
    expect(await page.locator('#top-up-amount-error').innerText()).toContain('above 0');
    await page.getByLabel('Amount (USD)').fill('5');
    expect(await submitForm(page, 'Pay (simulated)')).toBe(303);
    expect(await page.getByRole('status').first().innerText()).toContain('payment was added');
    expect(Number((await widgetBalance(page)).slice(1)) - Number(before.slice(1))).toBeCloseTo(5, 2);
  });

  it('shows what users typed as text, never as markup', async () => {
    const odd = await h.api<{ id: string }>('alice', 'POST', '/me/instances', {
      planId: 1,
      locationId: 1,
      name: '<img src=x onerror=alert(1)>',
    });
    await page.goto('/panel');
    expect(await page.locator('[data-testid="instances"] tbody th').first().innerText()).toBe(
      '<img src=x onerror=alert(1)>',
    );
    expect(await page.locator('main img').count()).toBe(0);
    await h.api('alice', 'DELETE', `/me/instances/${odd.id}`);
  });

  it('answers a malformed or future month with a message and a 400', async () => {
    for (const [month, says] of [
      ['2026-13', 'YYYY-MM'],
      ['abc', 'YYYY-MM'],
      ['2026-04', 'must not be after the current month (2026-03)'],
    ]) {
      const response = await page.goto(`/panel/usage?month=${month}`);
      expect({ month, status: response?.status() }).toEqual({ month, status: 400 });
      expect(await page.getByTestId('usage-problem').innerText()).toContain(says);
      expect(await page.getByLabel('Month').inputValue()).toBe('2026-03');
    }
    await screenshot(page, '08-usage-future-month');
  });
});
