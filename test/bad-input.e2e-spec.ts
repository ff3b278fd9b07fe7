import request from 'supertest';
import { DemoHypervisorInventory } from '../src/demo/demo-ports';
import { PREFIX, startTestApp, TestApp } from './support/test-app';

interface FieldError {
  field: string;
  rule: string;
}

const fields = (body: { errors?: FieldError[] }) => (body.errors ?? []).map((error) => error.field);
const rules = (body: { errors?: FieldError[] }) => (body.errors ?? []).map((error) => error.rule);

/** `levels` objects one inside the other, as JSON text: {"a":{"a":…1…}}. */
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('bad input: a 400 naming the field, never a 500, nothing written', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(DemoHypervisorInventory).upsert({
      id: 'hv-a',
      name: 'Alpha',
      vcpus: 16,
      ramMb: 65_536,
      diskGb: 1_000,
      online: true,
    });
  });
  afterAll(() => t.close());

  const raw = (method: 'post' | 'patch' | 'put', path: string, user = 'admin') =>
    request(t.app.getHttpServer())[method](`${PREFIX}${path}`).set('x-user-id', user);

  it.each([
    'lowBalanceThreshold',
    'negativeBalanceThreshold',
    'suspensionThreshold',
    'allowCreateOnNegativeBalance',
    'autoUnsuspend',
    'terminateAfterDaysSuspended',
    'billingGranularitySeconds',
    'timeZone',
    'runwayWarningHours',
    'lateEventWindowHours',
    'creationCreditHours',
  ])('PATCH /admin/settings refuses %s: null', async (field) => {
    const before = (await t.as('admin').get('/admin/settings').expect(200)).body;
    const { body } = await t
      .as('admin')
      .patch('/admin/settings', { [field]: null })
      .expect(400);
    expect(body.errors).toEqual([{ field, rule: 'isNotNull', message: `${field} must not be null` }]);
    expect((await t.as('admin').get('/admin/settings')).body).toEqual(before);
  });

  it.each(['name', 'valuePerCredit', 'prefix', 'suffix', 'decimals', 'enabled'])(
    'PATCH /admin/currencies/:code refuses %s: null',
    async (field) => {
      const before = (await t.as('admin').get('/admin/currencies').expect(200)).body;
      const { body } = await t
        .as('admin')
        .patch('/admin/currencies/USD', { [field]: null })
        .expect(400);
      expect(fields(body)).toEqual([field]);
      expect(rules(body)).toEqual(['isNotNull']);
      expect((await t.as('admin').get('/admin/currencies')).body).toEqual(before);
    },
  );

  it('keeps null where it means something: a plan group without a description, the default currency', async () => {
    const group = { name: 'General', slug: 'general', description: null };
    const { body } = await t.as('admin').post('/admin/plan-groups', group).expect(201);
    expect(body.description).toBeNull();
    await t.as('alice').patch('/me/preferences', { currency: null }).expect(200);
  });

  it('refuses advanceSeconds: null on the demo clock, naming it', async () => {
    const before = (await t.as('admin').get('/demo/clock').expect(200)).body;
    const { body } = await t.as('admin').post('/demo/clock', { advanceSeconds: null }).expect(400);
    expect(fields(body)).toEqual(['advanceSeconds']);
    expect(rules(body)).toEqual(['isNotNull']);
    expect((await t.as('admin').get('/demo/clock')).body).toEqual(before);
  });

  it.each([
    ['a user', 'alice', '/me/quote'],
    ['an admin', 'admin', '/admin/plan-groups'],
  ])('refuses 5,000 levels of nesting from %s with a 400 naming the field', async (_who, user, path) => {
    const { body } = await raw('post', path, user)
      .set('content-type', 'application/json')
      .send(`{"planId":1,"locationId":1,"name":"x","slug":"x","deep":${nestedJson(5_000)}}`)
      .expect(400);
    expect(rules(body)).toEqual(['maxDepth']);
    expect(fields(body)[0]).toMatch(/^deep(\.a)+$/);
  });

  it('refuses 100,000 levels of nesting as too large, never a 500', async () => {
    await raw('post', '/me/quote', 'alice')
      .set('content-type', 'application/json')
      .send(`{"planId":${nestedJson(100_000)}}`)
      .expect(413);
    await raw('post', '/me/quote', 'alice')
      .set('content-type', 'application/json')
      .send(`{"planId":${'['.repeat(40_000)}${']'.repeat(40_000)}}`)
      .expect(400);
  });

  it.each([
    ['__proto__', '{"__proto__":{"isAdmin":true},"name":"Proto","slug":"proto"}', '__proto__'],
    ['constructor', '{"name":"Ctor","slug":"ctor","constructor":{"prototype":{}}}', 'constructor'],
    [
      'nested prototype',
      '{"name":"Nested","slug":"nested","description":{"x":[{"prototype":1}]}}',
      'description.x[0].prototype',
    ],
  ])('refuses a %s key with a 400 naming its path and writes nothing', async (_what, json, path) => {
    const { body } = await raw('post', '/admin/plan-groups')
      .set('content-type', 'application/json')
      .send(json)
      .expect(400);
    expect(body.errors).toEqual([{ field: path, rule: 'noPrototypeKey', message: expect.stringContaining(path) }]);
    const groups = (await t.as('admin').get('/admin/plan-groups').expect(200)).body as { slug: string }[];
    expect(groups.map((group) => group.slug)).not.toContain(JSON.parse(json).slug);
  });

  it.each([
    ['text/plain', 'autoUnsuspend=false'],
    ['application/x-www-form-urlencoded', 'autoUnsuspend=false'],
    ['application/xml', '<autoUnsuspend>false</autoUnsuspend>'],
  ])('answers a %s body with 415 and changes nothing', async (type, text) => {
    const before = (await t.as('admin').get('/admin/settings').expect(200)).body;
    await raw('patch', '/admin/settings').set('content-type', type).send(text).expect(415);
    expect((await t.as('admin').get('/admin/settings')).body).toEqual(before);
  });

  it('still takes a route without a body when no body is sent', async () => {
    await raw('post', '/admin/billing/run').expect(200);
    await raw('post', '/admin/currencies/USD/default').expect(200);
  });

  it.each([
    [
      'POST /host/instances/:id/events',
      'post',
      '/host/instances/bad%20id!/events',
      'id',
      { type: 'started', at: '2026-03-10T12:00:00Z' },
    ],
    [
      'PATCH /admin/hypervisors/:hypervisorId',
      'patch',
      '/admin/hypervisors/bad%20id!',
      'hypervisorId',
      { enabled: false },
    ],
  ] as const)('answers a malformed id on %s with a 400 naming it', async (_route, method, path, param, sent) => {
    const { body } = await raw(method, path).send(sent);
    expect(body.statusCode).toBe(400);
    expect(fields(body)).toEqual([param]);
  });

  it.each([
    ['admin', '/admin/settings'],
    ['admin', '/admin/billing/failures'],
    ['admin', '/admin/usage'],
    ['alice', '/me/account'],
    ['alice', '/me/widget'],
    ['alice', '/me/widget.html'],
  ])('refuses an unknown query parameter on %s GET %s, naming it', async (user, path) => {
    const { body } = await t.as(user).get(`${path}?surprise=1`).expect(400);
    expect(fields(body)).toEqual(['surprise']);
    expect(rules(body)).toEqual(['whitelistValidation']);
  });

  it('still takes the query parameters a route declares', async () => {
    await t.as('admin').get('/admin/usage?month=2026-03').expect(200);
    await t.as('alice').get('/me/ledger?limit=5').expect(200);
  });
});
