import type request from 'supertest';
import { TRAFFIC_COUNTER, IPV4_RULE } from './support/metering-fixtures';
import { formBody, pageForms } from './support/page-forms';
import { addHypervisor, createLocation, createOfferedPlan } from './support/placement-fixtures';
import { startDemoApp, TestApp } from './support/test-app';

const HOSTILE = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

describe('pages: resource rules and metered counters for the admin, their lines in the wizard', () => {
  let t: TestApp;
  let admin: request.Agent;
  let planId: number;
  let otherPlanId: number;
  let locationId: number;
  const rulesPage = () => `/panel/admin/plans/${planId}/rules`;
  const apiRules = async () => (await t.as('admin').get(`/admin/plans/${planId}/rules`).expect(200)).body;
  const apiCounters = async () => (await t.as('admin').get('/admin/counters').expect(200)).body;

  /** A browser signed in as `userId` (the demo's cookie). */
  async function browserAs(userId: string): Promise<request.Agent> {
    const agent = t.anonymous();
    await agent.get(`/demo/login?as=${userId}`).expect(302);
    return agent;
  }

  /** Sends the form of `path` that posts to `action` with `typed` over what it holds; answers it once it is `status`. */
  async function submit(path: string, action: string, typed: Record<string, string | string[]>, status: number) {
    const { text } = await admin.get(path).expect(200);
    const form = pageForms(text).find((f) => f.method === 'post' && f.action.split('#')[0] === action);
    if (!form) throw new Error(`no form posting to ${action} on ${path}`);
    const response = await admin.post(form.action).type('form').send(formBody(form, typed));
    expect(`${action} → ${response.status}`).toBe(`${action} → ${status}`);
    return response;
  }

  /** The error printed beside a field of the partial. */
  const fieldError = (html: string, id: string) =>
    new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1]?.trim();

  beforeAll(async () => {
    t = await startDemoApp();
    await addHypervisor(t, 'hv-1', 4);
    locationId = await createLocation(t, 'North', ['hv-1']);
    planId = await createOfferedPlan(t, 'Small', [locationId], { hourlyPrice: '1' });
    otherPlanId = await createOfferedPlan(t, 'Large', [locationId], { hourlyPrice: '2' });
    admin = await browserAs('admin');
  });
  afterAll(() => t.close());

  it('links each plan’s rules and the counters from the admin page', async () => {
    const { text } = await admin.get('/panel/admin').expect(200);
    expect(text).toContain(`href="/panel/admin/plans/${planId}/rules"`);
    expect(text).toContain('href="/panel/admin/counters"');
  });

  it('adds a rule, saying what the API refused beside the field and keeping what was typed', async () => {
    const page = await admin.get(rulesPage()).expect(200);
    expect(page.text).toContain('No rules: an instance of this plan is billed for the plan alone.');

    const typed = { name: 'IPv4 address', key: 'IPv4!', unit: 'address', price: '10', on: ['terminated'] };
    const refused = await submit(rulesPage(), rulesPage(), typed, 400);
    expect(fieldError(refused.text, 'rule-key')).toContain('Must be lowercase letters, digits and single dashes');
    expect(refused.text).toContain('The rule was not saved:');
    expect(refused.text).toMatch(/id="rule-key" name="key" value="IPv4!"/);
    expect(await apiRules()).toEqual([]);

    // A rule across fields: a fixed quantity is needed with quantitySource "fixed".
    const noQuantity = await submit(rulesPage(), rulesPage(), { ...typed, key: 'ipv4', fixedQuantity: '' }, 400);
    expect(fieldError(noQuantity.text, 'rule-fixedQuantity')).toBe(
      'Is required when quantitySource is &quot;fixed&quot;',
    );

    const saved = await submit(rulesPage(), rulesPage(), { ...typed, key: 'ipv4' }, 303);
    expect(saved.headers.location).toBe(`${rulesPage()}?saved=created`);
    expect(await apiRules()).toEqual([
      expect.objectContaining({ ...IPV4_RULE, id: expect.any(Number), planId, retiredAt: null }),
    ]);
    const list = await admin.get(saved.headers.location).expect(200);
    expect(list.text).toContain('Rule added.');
    expect(list.text).toMatch(/<tr data-rule="ipv4">[\s\S]*?10 per 30 days[\s\S]*?1 address[\s\S]*?all but terminated/);
  });

  it('changes a rule in its own form, then deletes it', async () => {
    const [rule] = await apiRules();
    const editPage = `${rulesPage()}?edit=${rule.id}`;
    const { text } = await admin.get(editPage).expect(200);
    expect(text).toContain('Change IPv4 address');
    expect(text).toMatch(/id="rule-price" name="price" value="10"/);

    const changed = await submit(
      editPage,
      `${rulesPage()}/${rule.id}`,
      {
        price: '0.5',
        periodSeconds: '3600',
        kind: 'prepaid',
        on: ['running', 'stopped'],
        except: [],
      },
      303,
    );
    expect(changed.headers.location).toBe(`${rulesPage()}?saved=updated`);
    expect(await apiRules()).toEqual([
      expect.objectContaining({
        id: rule.id,
        price: '0.5',
        periodSeconds: 3600,
        kind: 'prepaid',
        on: ['running', 'stopped'],
        except: false,
      }),
    ]);

    const refused = await submit(editPage, `${rulesPage()}/${rule.id}`, { periodSeconds: '0', kind: 'postpaid' }, 400);
    expect(fieldError(refused.text, 'rule-kind')).toMatch(/^Must be &quot;prepaid&quot; when periodSeconds is 0/);
    // Still the form of that rule, with its delete button.
    expect(refused.text).toContain(`action="${rulesPage()}/${rule.id}#rule-form"`);

    const deleted = await submit(editPage, `${rulesPage()}/${rule.id}/delete`, {}, 303);
    expect(deleted.headers.location).toBe(`${rulesPage()}?saved=deleted`);
    expect(await apiRules()).toEqual([]);
  });

  it('adds a counter with its price ranges, one row a range, errors by the row they concern', async () => {
    const page = '/panel/admin/counters';
    const typed = {
      name: 'Outgoing traffic',
      key: 'traffic-out',
      unitName: 'GB',
      measurementUnit: '1',
      rangeFrom: ['0', '1000', '10000', ''],
      rangePrice: ['0', 'cheap', '0.008', ''],
      planIds: [],
    };
    const refused = await submit(page, page, typed, 400);
    expect(refused.text).toMatch(/id="counter-range-1-error">Price: Must be a non-negative credit amount/);
    expect(refused.text).toMatch(/id="counter-range-1-price" name="rangePrice" value="cheap"/);
    expect(await apiCounters()).toEqual([]);

    const notFromZero = await submit(
      page,
      page,
      { ...typed, rangeFrom: ['5', '1000'], rangePrice: ['0', '0.01'] },
      400,
    );
    expect(notFromZero.text).toMatch(/id="counter-ranges-error">The first price range must start at 0/);

    // "Add a price range" saves nothing and shows one more row.
    const more = await submit(page, page, { ...typed, rangeAction: 'add' }, 200);
    expect(more.text.match(/name="rangeFrom"/g)).toHaveLength(5);
    expect(await apiCounters()).toEqual([]);

    const saved = await submit(page, page, { ...typed, rangePrice: ['0', '0.01', '0.008', ''] }, 303);
    expect(saved.headers.location).toBe(`${page}?saved=created`);
    expect(await apiCounters()).toEqual([
      expect.objectContaining({ ...TRAFFIC_COUNTER, planIds: null, retiredAt: null }),
    ]);
    const list = await admin.get(saved.headers.location).expect(200);
    expect(list.text).toMatch(
      /<tr data-counter="traffic-out">[\s\S]*?per GB[\s\S]*?from 0: 0 · from 1000: 0.01 · from 10000: 0.008[\s\S]*?every plan/,
    );
  });

  it('changes a counter’s ranges and plans, then deletes it', async () => {
    const [counter] = await apiCounters();
    const editPage = `/panel/admin/counters?edit=${counter.id}`;
    const { text } = await admin.get(editPage).expect(200);
    expect(text.match(/name="rangeFrom"/g)).toHaveLength(4);
    expect(text).toMatch(/id="counter-range-2-from" name="rangeFrom" value="10000"/);

    await submit(
      editPage,
      `/panel/admin/counters/${counter.id}`,
      {
        rangeFrom: ['0', '500', ''],
        rangePrice: ['0', '0.02', ''],
        planIds: [String(otherPlanId)],
      },
      303,
    );
    expect(await apiCounters()).toEqual([
      expect.objectContaining({
        id: counter.id,
        ranges: [
          { from: '0', price: '0' },
          { from: '500', price: '0.02' },
        ],
        planIds: [otherPlanId],
      }),
    ]);
    await submit(editPage, `/panel/admin/counters/${counter.id}/delete`, {}, 303);
    expect(await apiCounters()).toEqual([]);
  });

  it('shows a rule’s name as text, never as markup, on the admin page and in the wizard', async () => {
    await t
      .as('admin')
      .post(`/admin/plans/${planId}/rules`, { ...IPV4_RULE, name: HOSTILE })
      .expect(201);
    const adminPage = (await admin.get(rulesPage()).expect(200)).text;
    expect(adminPage).toContain(ESCAPED);
    expect(adminPage).not.toContain(HOSTILE);

    const { body: plans } = await t.as('admin').get('/admin/plans').expect(200);
    const groupId = plans.find((plan: { id: number }) => plan.id === planId).groupId;
    const alice = await browserAs('alice');
    const wizard = (
      await alice.get(`/panel/instances/new?groupId=${groupId}&planId=${planId}&locationId=${locationId}`).expect(200)
    ).text;
    expect(wizard).toContain(`<li data-testid="quote-rule-ipv4">${ESCAPED}: $0.00013889 an hour, 1 included</li>`);
    expect(wizard).not.toContain(HOSTILE);
  });

  it('shows the plan’s rules and counters in the wizard’s preview, and which the figures count', async () => {
    await t.as('admin').post('/admin/counters', TRAFFIC_COUNTER).expect(201);
    const { body: plans } = await t.as('admin').get('/admin/plans').expect(200);
    const groupId = plans.find((plan: { id: number }) => plan.id === planId).groupId;
    const alice = await browserAs('alice');
    const { text } = await alice
      .get(`/panel/instances/new?groupId=${groupId}&planId=${planId}&locationId=${locationId}`)
      .expect(200);
    expect(text).toContain(
      '<li data-testid="quote-counter-traffic-out">Outgoing traffic: first 1,000 GB a month included, then $0.0001 per GB, from 10,000 GB $0.00008 per GB</li>',
    );
    expect(text).toContain(
      `The figures above include ${ESCAPED}; the rest is billed on top, as it is used or falls due.`,
    );
    // 1 credit an hour for the plan and 0.013889 for the address.
    expect(text).toContain('data-testid="quote-hourly">$0.01013889<');
  });

  it('is for admins: a customer gets a 403 page, a visitor the sign-in form, an unknown plan a 404 page', async () => {
    const alice = await browserAs('alice');
    for (const path of [rulesPage(), '/panel/admin/counters']) {
      expect((await alice.get(path).expect(403)).text).toContain('Admins only');
      expect((await t.anonymous().get(path).expect(401)).text).toContain('Sign in');
    }
    await admin.get('/panel/admin/plans/999999/rules').expect(404);
    await admin.get('/panel/admin/plans/abc/rules').expect(404);
    const token = /name="_csrf" value="([^"]+)"/.exec((await alice.get('/panel').expect(200)).text)?.[1];
    await alice.post('/panel/admin/counters').type('form').send({ _csrf: token, name: 'x' }).expect(403);
    expect(await apiCounters()).toHaveLength(1);
  });
});
