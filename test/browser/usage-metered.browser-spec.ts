import type { Page } from 'playwright-core';
import { IPV4_ADDRESS_RULE, TRAFFIC_COUNTER } from '../support/metering-fixtures';
import { describeInChromium, Harness, screenshot, startHarness } from './support/browser-harness';

/**
 * The usage page of a month with a resource rule and a counter: their lines under the instance they belong to, and
 * the daily chart stacked by kind. Keys of their own, so they sit beside whatever the demo's catalog seeds.
 */
describeInChromium('pages: rules and counters in the usage report', () => {
  let h: Harness;
  let page: Page;
  /** The instances' rows and this suite's own lines, leaving out the lines of the rules the demo seeds. */
  const rowTexts = async (target: Page) =>
    (await target.locator('[data-testid="usage-rows"] tbody tr').allInnerTexts())
      .map((row) => row.replace(/\s+/g, ' ').trim())
      .filter((row) => /^(web-\d |Extra IPv4 |Incoming traffic )/.test(row));

  beforeAll(async () => {
    h = await startHarness();
    await h.api('admin', 'POST', '/admin/plans/1/rules', {
      ...IPV4_ADDRESS_RULE,
      key: 'extra-ipv4',
      name: 'Extra IPv4',
      price: '72',
    });
    await h.api('admin', 'POST', '/admin/counters', {
      ...TRAFFIC_COUNTER,
      key: 'traffic-in',
      name: 'Incoming traffic',
    });
    await h.api('admin', 'POST', '/admin/accounts/erin/credits', { amount: '500', reference: 'pay-erin-1' });
    const web = await h.api<{ id: string }>('erin', 'POST', '/me/instances', {
      planId: 1,
      locationId: 1,
      name: 'web-1',
    });
    await h.api<{ id: string }>('erin', 'POST', '/me/instances', { planId: 1, locationId: 1, name: 'web-2' });
    const { now } = await h.api<{ now: string }>('admin', 'GET', '/demo/clock');
    // 1,500 GB: the first 1,000 free, 500 at 0.01.
    await h.api('admin', 'POST', `/host/instances/${web.id}/usage`, {
      counter: 'traffic-in',
      quantity: '1500',
      at: now,
      id: 'erin-traffic-1',
    });
    await h.api('admin', 'POST', '/demo/clock', { advanceSeconds: 5 * 3600 });
    page = await h.newPage();
    await page.goto('/demo/login?as=erin');
  });
  afterAll(() => h?.close());

  it("lists each instance's rule and counter lines under its own row, with quantity, rate and cost", async () => {
    await page.goto('/panel/usage');
    const rows = await rowTexts(page);
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^web-1 C2 Small /);
    // 72 per 30 days is 0.1 an hour: 5 hours of one address, 0.5 credits ($0.01).
    expect(rows[1]).toMatch(/^Extra IPv4 resource rule .*5 address-hours · \$0\.72 per address every 30 days \$0\.01$/);
    expect(rows[2]).toMatch(
      /^Incoming traffic counter .*1,500 GB · first 1,000 GB a month included, then \$0\.0001 per GB.* \$0\.05$/,
    );
    expect(rows[3]).toMatch(/^web-2 C2 Small /);
    expect(rows[4]).toMatch(/^Extra IPv4 resource rule .*5 address-hours/);
    // Each line names, for a screen reader, the instance it belongs to.
    expect(await page.locator('tr.usage-line[data-kind="counter"] th').innerText()).toContain('of web-1');
    expect(await page.getByTestId('usage-total').innerText()).toBe(
      (await h.api<{ total: { formatted: string } }>('erin', 'GET', '/me/usage')).total.formatted,
    );
  });

  it('stacks the day by kind, with a legend naming the kinds', async () => {
    await page.goto('/panel/usage');
    expect(await page.getByTestId('usage-chart-legend').innerText()).toMatch(/Instances\s+Resource rules\s+Counters/);
    const today = page.locator('[data-testid="usage-chart"] g:has(rect[data-kind="counters"])');
    expect(await today.count()).toBe(1);
    const kinds = await today
      .locator('rect')
      .evaluateAll((rects) => rects.map((rect) => rect.getAttribute('data-kind')));
    expect(kinds).toEqual(['instances', 'rules', 'counters']);
    expect(await today.locator('title').textContent()).toMatch(
      /\(instances .*, resource rules .*, counters \$0\.05\)$/,
    );
    await page.getByText('Cost per day as a table').click();
    const header = await page.locator('details table thead th').allTextContents();
    expect(header).toEqual(['Day', 'Instances', 'Resource rules', 'Counters', 'Cost']);
    await screenshot(page, '40-usage-report-rules-and-counters');
  });

  it('fits a phone-sized screen with the lines', async () => {
    const phone = await h.newPage({ mobile: true });
    await phone.goto('/demo/login?as=erin');
    await phone.goto('/panel/usage');
    expect(await rowTexts(phone)).toHaveLength(5);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBe(0);
    await screenshot(phone, '41-phone-usage-rules-and-counters');
  });
});
