import request from 'supertest';
import { DemoNotifier } from '../src/demo/demo-ports';
import { PREFIX, startDemoApp, TestApp, TEST_CLOCK_START } from './support/test-app';

// Gap 6 of issue 9: the demo host locked down like a real panel.
describe('demo host security', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startDemoApp();
  });
  afterAll(() => t.close());

  const balanceOf = async (userId: string) =>
    (await t.as(userId).get('/me/account').expect(200)).body.balance.credits as string;

  /** A browser signed in by cookie (the demo's login), as `userId`. */
  async function browserAs(userId: string): Promise<request.Agent> {
    const agent = t.anonymous();
    await agent.get(`/demo/login?as=${userId}`).expect(302);
    return agent;
  }

  /** The CSRF token the page printed in its forms. */
  async function formToken(agent: request.Agent, page: string): Promise<string> {
    const { text } = await agent.get(page).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (!token) throw new Error(`no CSRF token on ${page}`);
    return token;
  }

  describe('/demo routes need an admin', () => {
    const routes: [string, string, object | null][] = [
      ['GET', '/demo/clock', null],
      ['POST', '/demo/clock', { advanceSeconds: 365 * 86400 }],
      ['GET', '/demo/hypervisors', null],
      ['POST', '/demo/hypervisors', { id: 'hv-x', name: 'X', vcpus: 8, ramMb: 8192, diskGb: 100, online: true }],
      ['GET', '/demo/provisioner/calls', null],
      ['POST', '/demo/provisioner/failures', { count: 5 }],
      ['POST', '/demo/amqp/publish', { userId: 'alice', planId: 1 }],
      ['POST', '/demo/traffic', { instanceId: 'vm-1', gb: '1' }],
    ];

    it.each(routes)('%s %s: 401 signed out, 403 for a user, and nothing changes', async (method, path, body) => {
      const call = (agent: request.Test) => (body ? agent.send(body) : agent);
      const server = t.app.getHttpServer();
      const verb = method === 'GET' ? 'get' : 'post';
      await call(request(server)[verb](path)).expect(401);
      await call(request(server)[verb](path).set('x-user-id', 'alice')).expect(403);
      // By cookie, too.
      const alice = await browserAs('alice');
      await call(alice[verb](path)).expect(403);

      const admin = (p: string) => t.as('admin').get(p).expect(200);
      expect((await admin('/demo/clock')).body.now).toBe(TEST_CLOCK_START.toISOString());
      expect((await admin('/demo/hypervisors')).body).toEqual([]);
      expect((await admin('/demo/provisioner/calls')).body).toEqual([]);
    });

    it('shows a user only their own messages, an admin all of them, and nobody signed out', async () => {
      const notifier = t.app.get(DemoNotifier);
      await notifier.deliver('alice', 'low-balance', { subject: 'Alice is low', html: '', text: '' });
      await notifier.deliver('bob', 'suspended', { subject: 'Bob is suspended', html: '', text: '' });
      await t.anonymous().get('/demo/outbox').expect(401);
      const subjects = async (userId: string) =>
        (await t.as(userId).get('/demo/outbox').expect(200)).body.map((m: { subject: string }) => m.subject);
      expect(await subjects('alice')).toEqual(['Alice is low']);
      expect(await subjects('carol')).toEqual([]);
      expect(await subjects('admin')).toEqual(['Alice is low', 'Bob is suspended']);
    });
  });

  describe('page forms carry a CSRF token', () => {
    let payments = 0;
    const creditForm = (token?: string) => ({
      userId: 'dave',
      amount: '50',
      reference: `form-payment-${(payments += 1)}`,
      ...(token === undefined ? {} : { _csrf: token }),
    });

    it('credits with the token of the page, and refuses the same form without it or with a foreign one', async () => {
      const admin = await browserAs('admin');
      const token = await formToken(admin, '/panel/admin');

      const missing = await admin.post('/panel/admin/credits').type('form').send(creditForm()).expect(403);
      expect(missing.text).toContain('Reload the page');
      await admin.post('/panel/admin/credits').type('form').send(creditForm('forged.token')).expect(403);
      // A token is bound to its session: the one alice's page printed does not pass for the admin's cookie.
      const alicesToken = await formToken(await browserAs('alice'), '/panel');
      await admin.post('/panel/admin/credits').type('form').send(creditForm(alicesToken)).expect(403);
      expect(await balanceOf('dave')).toBe('0');

      await admin.post('/panel/admin/credits').type('form').send(creditForm(token)).expect(303);
      expect(await balanceOf('dave')).toBe('50');
    });

    it('leaves a signed-out form to the sign-in page, as before', async () => {
      const { text } = await t.anonymous().post('/panel/top-up').type('form').send({ amount: '5' }).expect(401);
      expect(text).toContain('Sign in');
    });
  });

  describe('writes signed in by cookie from another site are refused', () => {
    const form = { amount: '1000', reference: 'forged-1' };
    const creditsPath = `${PREFIX}/admin/accounts/erin/credits`;

    it.each([
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['Origin null', { origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site', origin: 'https://other.demo.example' }],
    ])('a form POST to the plugin API or a page with %s: 403, nothing credited', async (_what, headers) => {
      const admin = await browserAs('admin');
      const token = await formToken(admin, '/panel/admin');
      await admin.post(creditsPath).set(headers).type('form').send(form).expect(403);
      await admin.post(creditsPath).set(headers).send(form).expect(403);
      await admin
        .post('/panel/admin/credits')
        .set(headers)
        .type('form')
        .send({ userId: 'erin', amount: '1000', reference: 'forged-2', _csrf: token })
        .expect(403);
      await admin.post('/demo/clock').set(headers).send({ advanceSeconds: 60 }).expect(403);
      expect(await balanceOf('erin')).toBe('0');
    });

    it('lets the same write through from this site, and from API clients signed in by header', async () => {
      const admin = await browserAs('admin');
      // What a browser sends from one of our own pages (the Origin rule alone is unit-tested in cross-origin.spec).
      await admin
        .post(creditsPath)
        .set({ 'sec-fetch-site': 'same-origin' })
        .send({ amount: '2', reference: 'same-site-1' })
        .expect(201);
      // No cookie: a browser cannot forge the header, whatever Origin the client sends.
      await t
        .as('admin')
        .post('/admin/accounts/erin/credits', { amount: '3', reference: 'api-1' })
        .set('origin', 'https://integrations.example')
        .expect(201);
      expect(await balanceOf('erin')).toBe('5');
    });
  });

  describe('security headers', () => {
    it('sends a nonce CSP that the page scripts carry, forbids framing and hides X-Powered-By', async () => {
      const alice = await browserAs('alice');
      const page = await alice.get('/panel').expect(200);
      const csp = String(page.headers['content-security-policy']);
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['x-powered-by']).toBeUndefined();
      const scripts = page.text.match(/<script[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toBe(`<script nonce="${nonce}">`);
      // A new nonce for every response.
      const again = await alice.get('/panel').expect(200);
      expect(again.headers['content-security-policy']).not.toContain(nonce);
    });

    it('serves a widget fragment a strict host CSP can allow: no script, no style attribute, one constant <style>', async () => {
      await t.as('admin').post('/admin/accounts/gina/credits', { amount: '500', reference: 'gina-1' }).expect(201);
      const fragments = await Promise.all(
        ['gina', 'hank'].map(async (userId) => (await t.as(userId).get('/me/widget.html').expect(200)).text),
      );
      const styles = fragments.map((html) => html.match(/<style>[\s\S]*?<\/style>/g));
      expect(fragments[0]).not.toEqual(fragments[1]);
      for (const [index, html] of fragments.entries()) {
        expect(styles[index]).toHaveLength(1);
        expect(html).not.toMatch(/<script|\son\w+=|\sstyle=|<link|<img|url\(/i);
      }
      // Nothing is interpolated into it: one hash in a host's style-src covers every user.
      expect(styles[0]).toEqual(styles[1]);
    });

    it('hides X-Powered-By on the plugin API and the demo routes too', async () => {
      for (const path of [`${PREFIX}/me/widget.html`, '/demo/clock', '/docs']) {
        const response = await request(t.app.getHttpServer()).get(path).set('x-user-id', 'admin');
        expect(response.status).toBeLessThan(400);
        expect(response.headers['x-powered-by']).toBeUndefined();
      }
    });
  });
});
