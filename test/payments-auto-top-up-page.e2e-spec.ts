import type request from 'supertest';
import { formBody, pageForms, pageLinks } from './support/page-forms';
import { startDemoApp, TestApp } from './support/test-app';

async function browserAs(t: TestApp, userId: string): Promise<request.Agent> {
  const agent = t.anonymous();
  await agent.get(`/demo/login?as=${userId}`).expect(302);
  return agent;
}

/** Submits the page's form posting to `action` with `typed` over what the page filled in. */
async function submit(agent: request.Agent, action: string, typed: Record<string, string> = {}) {
  const html = (await agent.get('/panel/auto-top-up').expect(200)).text;
  const form = pageForms(html).find((f) => f.method === 'post' && f.action === action);
  if (!form) throw new Error(`no form posting to ${action}`);
  return agent.post(form.action).type('form').send(formBody(form, typed));
}

describe('the auto top-up page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startDemoApp();
  });
  afterAll(() => t.close());

  it('sets a rule, shows the attempt it made and turns it off', async () => {
    const browser = await browserAs(t, 'lea');
    const first = (await browser.get('/panel/auto-top-up').expect(200)).text;
    expect(first).toContain('Auto top-up is <strong>off</strong>');
    expect(pageLinks((await browser.get('/panel').expect(200)).text)).toContain('/panel/auto-top-up');

    const refused = await submit(browser, '/panel/auto-top-up', { threshold: '50', value: '500', monthlyLimit: '100' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Monthly limit: Must be at least amount');

    // The balance is 0, below the threshold: the rule tops up at once, through the fake gateway.
    const saving = await submit(browser, '/panel/auto-top-up', { threshold: '50', value: '500', monthlyLimit: '1000' });
    expect([saving.status, saving.headers.location]).toEqual([303, '/panel/auto-top-up?saved=1']);
    const saved = (await browser.get('/panel/auto-top-up?saved=1').expect(200)).text;
    expect(saved).toContain('Auto top-up is <strong>on</strong>, charged in USD.');
    expect(saved).toMatch(/<td>succeeded<\/td><td>5\.00 USD<\/td><td>500<\/td>/);
    expect(saved).toContain('Topped up in 2026-03: <strong>$5.00</strong>');

    expect((await submit(browser, '/panel/auto-top-up/delete')).status).toBe(303);
    expect((await browser.get('/panel/auto-top-up').expect(200)).text).toContain('Auto top-up is <strong>off</strong>');
  });
});

describe('the demo without a payment gateway', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startDemoApp({ paymentGateway: false });
  });
  afterAll(() => t.close());

  it('shows no auto top-up: no link, and the page is not found', async () => {
    const browser = await browserAs(t, 'lea');
    expect(pageLinks((await browser.get('/panel').expect(200)).text)).not.toContain('/panel/auto-top-up');
    await browser.get('/panel/auto-top-up').expect(404);
  });
});
