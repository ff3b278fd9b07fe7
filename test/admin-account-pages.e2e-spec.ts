import type request from 'supertest';
import { formBody, pageForms } from './support/page-forms';
import { startDemoApp, TestApp } from './support/test-app';

const HOSTILE = '<script>alert(1)</script>';

describe('pages: an account and the promo codes for the admin (refunds once per form, admins only)', () => {
  let t: TestApp;
  let admin: request.Agent;
  let topUpId: number;
  const accountPage = '/panel/admin/accounts/alice';
  const balance = async () => (await t.as('alice').get('/me/account').expect(200)).body.balance.credits;

  async function browserAs(userId: string): Promise<request.Agent> {
    const agent = t.anonymous();
    await agent.get(`/demo/login?as=${userId}`).expect(302);
    return agent;
  }

  /** The form of the page that posts to `action`, as the browser would send it with `typed` over its values. */
  async function formOf(agent: request.Agent, path: string, action: string, typed: Record<string, string> = {}) {
    const { text } = await agent.get(path).expect(200);
    const form = pageForms(text).find((f) => f.method === 'post' && f.action.split('#')[0] === action);
    if (!form) throw new Error(`no form posting to ${action} on ${path}`);
    return { action: form.action, body: formBody(form, typed) };
  }

  beforeAll(async () => {
    t = await startDemoApp();
    const { body } = await t
      .as('admin')
      .post('/admin/accounts/alice/credits', { amount: '100', reference: 'pay-a1' })
      .expect(201);
    topUpId = body.entry.id;
    admin = await browserAs('admin');
  });
  afterAll(() => t.close());

  it('links each account and the promo codes from the admin page', async () => {
    const { text } = await admin.get('/panel/admin').expect(200);
    expect(text).toContain(`href="${accountPage}"`);
    expect(text).toContain('href="/panel/admin/promo-codes"');
  });

  it('refunds once when the same refund form is sent twice', async () => {
    const refund = `${accountPage}/ledger/${topUpId}/refund`;
    const form = await formOf(admin, accountPage, refund, { amount: '30' });
    const first = await admin.post(form.action).type('form').send(form.body).expect(303);
    expect(first.headers.location).toBe(`${accountPage}?done=refund#ledger`);
    const again = await admin.post(form.action).type('form').send(form.body).expect(303);
    expect(again.headers.location).toBe(`${accountPage}?done=refund-repeat#ledger`);
    expect(await balance()).toBe('70');
    const { text } = await admin.get(again.headers.location).expect(200);
    expect(text).toContain('nothing more was refunded');
  });

  it('grants once per form, and prints what was typed escaped', async () => {
    const form = await formOf(admin, accountPage, `${accountPage}/grants`, { amount: '5', note: HOSTILE });
    await admin.post(form.action).type('form').send(form.body).expect(303);
    const again = await admin.post(form.action).type('form').send(form.body).expect(303);
    expect(again.headers.location).toBe(`${accountPage}?done=grant-repeat#grants`);
    expect(await balance()).toBe('75');
    const { text } = await admin.get(accountPage).expect(200);
    expect(text).not.toContain(HOSTILE);
    expect(text).toContain('&lt;script&gt;');
  });

  it('is for admins only, and a form without its token changes nothing', async () => {
    const alice = await browserAs('alice');
    await alice.get(accountPage).expect(403);
    await alice.get('/panel/admin/promo-codes').expect(403);
    const form = await formOf(admin, accountPage, `${accountPage}/ledger/${topUpId}/refund`, { amount: '1' });
    const forged = form.body.replace(/(^|&)_csrf=[^&]*/, '$1_csrf=forged');
    await admin.post(form.action).type('form').send(forged).expect(403);
    await alice.post(form.action).type('form').send(form.body).expect(403);
    expect(await balance()).toBe('75');
  });

  it('says there is no such account for a user id the plugin would not take', async () => {
    await admin.get('/panel/admin/accounts/not%20a%20user').expect(404);
  });
});
