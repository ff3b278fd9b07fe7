import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { formBody, pageForms, pageLinks, PageForm } from './support/page-forms';
import { startDemoApp, TestApp } from './support/test-app';

const PREFIX = '/billing-x';
/** Where nothing must go: the default prefix, which this demo does not mount. */
const DEFAULT_PREFIX = '/cloud-billing';
/** The links a walk leaves alone: signing out ends the walk's session. */
const NOT_FOLLOWED = new Set(['/demo/logout']);
const ORIGIN = 'http://demo.test';

/** A page's address resolved against the page it is on, without the fragment; null when it leaves the site. */
function resolve(href: string, from: string): string | null {
  const url = new URL(href, `${ORIGIN}${from}`);
  return url.origin === ORIGIN ? `${url.pathname}${url.search}` : null;
}

/** Usage months go back for ever: a page counts once per path and set of query names, whatever their values. */
const pageKind = (path: string) => {
  const url = new URL(path, ORIGIN);
  return `${url.pathname}?${[...url.searchParams.keys()].sort().join('&')}`;
};

const getTarget = (form: PageForm, from: string) => {
  const action = resolve(form.action || from, from);
  return action && `${action.split('?')[0]}?${new URLSearchParams(form.fields)}`;
};

describe(`the demo with the plugin mounted at ${PREFIX}`, () => {
  let t: TestApp;
  /** Every request the server received, the pages' own calls to the plugin included: "GET /path?query". */
  const received: string[] = [];

  beforeAll(async () => {
    t = await startDemoApp({ routePrefix: PREFIX.slice(1), seed: true });
    t.app.getHttpServer().on('request', (req: IncomingMessage) => received.push(`${req.method} ${req.url}`));
  });
  afterAll(() => t.close());

  /** A browser signed in as `userId` (the demo's cookie). */
  async function browserAs(userId: string): Promise<request.Agent> {
    const agent = t.anonymous();
    await agent.get(`/demo/login?as=${userId}`).expect(302);
    return agent;
  }

  async function page(agent: request.Agent, path: string): Promise<string> {
    const response = await agent.get(path).redirects(3);
    expect(`${path} → ${response.status}`).toBe(`${path} → 200`);
    return response.text;
  }

  /** Submits the page's form posting to `action`, with `typed` over what the page filled in; answers the status. */
  async function submit(agent: request.Agent, path: string, action: string, typed: Record<string, string> = {}) {
    const form = pageForms(await page(agent, path)).find((f) => f.method === 'post' && f.action.startsWith(action));
    if (!form) throw new Error(`no form posting to ${action} on ${path}`);
    return agent.post(form.action).type('form').send(formBody(form, typed));
  }

  /**
   * Follows every link and GET form from /panel, page by page, asserting each answers 200; then posts every POST
   * form of those pages as the page filled it in, asserting it lands on a page (303) or shows its errors (400, or
   * 409 where the account's state refuses it: a refund of more than the top-up or the paid credit has left), never a
   * refusal of its token, a missing route or a server error. Answers the pages it saw.
   */
  async function walk(agent: request.Agent): Promise<Map<string, string>> {
    const pages = new Map<string, string>();
    const seen = new Set<string>();
    const queue = ['/panel'];
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      if (seen.has(pageKind(path)) || NOT_FOLLOWED.has(path.split('?')[0])) continue;
      seen.add(pageKind(path));
      const html = await page(agent, path);
      if (!path.startsWith('/panel')) continue;
      pages.set(path, html);
      const gets = pageForms(html).filter((f) => f.method === 'get');
      const next = [...pageLinks(html).map((href) => resolve(href, path)), ...gets.map((f) => getTarget(f, path))];
      queue.push(...next.filter((target): target is string => target !== null));
    }
    const posted = new Set<string>();
    for (const [path, html] of pages) {
      for (const form of pageForms(html).filter((f) => f.method === 'post' && !posted.has(f.action))) {
        posted.add(form.action);
        const response = await agent.post(form.action).type('form').send(formBody(form));
        expect(`${form.action} → ${response.status}`).toMatch(/ → (303|400|409)$/);
        if (response.status === 303) await page(agent, resolve(response.headers.location, path) as string);
      }
    }
    return pages;
  }

  it('mounts the plugin there', async () => {
    await t.anonymous().get(`${PREFIX}/admin/settings`).set('x-user-id', 'admin').expect(200);
  });

  it('credits, creates an instance, bills it and downloads the report through the pages', async () => {
    const admin = await browserAs('admin');
    const credited = await submit(admin, '/panel/admin', '/panel/admin/credits', {
      userId: 'alice',
      amount: '100',
      reference: 'prefix-walk-1',
    });
    expect(credited.status).toBe(303);
    expect((await t.as('alice').get('/me/account').expect(200)).body.balance.credits).toBe('100');

    const alice = await browserAs('alice');
    const wizard = '/panel/instances/new?groupId=1&planId=1&locationId=1';
    expect((await submit(alice, wizard, '/panel/instances', { name: 'web-1' })).status).toBe(303);
    expect((await t.as('alice').get('/me/instances').expect(200)).body).toEqual([
      expect.objectContaining({ name: 'web-1' }),
    ]);

    expect((await submit(alice, '/panel/top-up', '/panel/top-up', { amount: '5' })).status).toBe(303);
    await t
      .as('admin')
      .post('/demo/clock', { advanceSeconds: 2 * 3600 })
      .expect(200);
    const usage = await page(alice, '/panel/usage');
    const downloads = pageLinks(usage).filter((href) => href.includes('/me/usage'));
    expect(downloads).toEqual([`${PREFIX}/me/usage.csv?month=2026-03`, `${PREFIX}/me/usage?month=2026-03`]);
    expect((await alice.get(downloads[0]).expect(200)).text).toContain('web-1');
    // The instance's two hours, and the seeded rules it billed: the backup's first 30 days paid in advance (180) and
    // two hours of its IPv4 address (330 × 7,200 / 2,592,000 = 0.916667).
    const rows = (await alice.get(downloads[1]).expect(200)).body.rows;
    expect(
      rows.map((row: { kind: string; key?: string; cost: { credits: string } }) => [
        row.kind,
        row.key ?? null,
        row.cost.credits,
      ]),
    ).toEqual([
      ['instance', null, '3'],
      ['rule', 'backup', '180'],
      ['rule', 'ipv4', '0.916667'],
    ]);
  });

  it.each(['admin', 'alice'])('walks every page, link and form as %s', async (userId) => {
    const pages = await walk(await browserAs(userId));
    expect([...pages.keys()]).toEqual(expect.arrayContaining(['/panel', '/panel/usage', '/panel/top-up']));
    if (userId === 'admin') expect([...pages.keys()]).toContain('/panel/admin');
  });

  it(`sent nothing to ${DEFAULT_PREFIX}, and the pages' own calls went to ${PREFIX}`, () => {
    expect(received.filter((line) => line.includes(DEFAULT_PREFIX))).toEqual([]);
    // Only the dashboard asks for the widget fragment: the test itself never does.
    expect(received).toContainEqual(expect.stringMatching(new RegExp(`^GET ${PREFIX}/me/widget\\.html`)));
    expect(received).toContainEqual(expect.stringMatching(new RegExp(`^GET ${PREFIX}/admin/billing/failures`)));
  });

  it('mounts nothing at the default prefix', async () => {
    await t.anonymous().get(`${DEFAULT_PREFIX}/admin/settings`).set('x-user-id', 'admin').expect(404);
  });
});
