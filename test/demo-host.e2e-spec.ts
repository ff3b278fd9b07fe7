import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { HYPERVISOR_INVENTORY } from '../src';
import { DemoClockListeners } from '../src/demo/clock-listeners';
import { createDemoApp } from '../src/demo/create-demo-app';
import { DemoHypervisorInventory, DemoNotifier, DemoProvisioner } from '../src/demo/demo-ports';
import { DemoSeedLog } from '../src/demo/demo-seed-log';
import { mappedRoutes, toOpenApiPath } from './support/routes';
import { createTestDatabase, testEngine } from './support/test-database';
import { PREFIX, startDemoApp, TestApp, TEST_CLOCK_START } from './support/test-app';

const provisionRequest = (instanceId: string) => ({
  instanceId,
  userId: 'alice',
  hypervisorId: 'hv-1',
  name: instanceId,
  vcpus: 1,
  ramMb: 1024,
  diskGb: 10,
  gpus: 0,
});

describe('demo host', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startDemoApp();
  });
  afterAll(() => t.close());

  describe('manual clock', () => {
    it('starts where it was told and moves forward by seconds or to a time', async () => {
      await t.as('admin').get('/demo/clock').expect(200, { now: TEST_CLOCK_START.toISOString(), manual: true });
      const { body } = await t.as('admin').post('/demo/clock', { advanceSeconds: 3600 }).expect(200);
      expect(body).toMatchObject({ now: '2026-03-10T13:00:00.000Z', manual: true });
      await t.as('admin').post('/demo/clock', { now: '2026-03-10T14:30:00Z' }).expect(200);
      expect((await t.as('admin').get('/demo/clock')).body.now).toBe('2026-03-10T14:30:00.000Z');
    });

    it('settles billing for the new time, as the hourly job would have', async () => {
      const { body } = await t.as('admin').post('/demo/clock', { now: '2026-03-10T15:30:00Z' }).expect(200);
      expect(body.ran).toEqual([expect.objectContaining({ settledUntil: '2026-03-10T15:00:00.000Z', hours: 0 })]);
    });

    it('runs the registered scheduler work for the new time and returns what it reported', async () => {
      const seen: string[] = [];
      t.app.get(DemoClockListeners).register(async (now) => {
        seen.push(now.toISOString());
        return { settledUpTo: now.toISOString() };
      });
      const { body } = await t.as('admin').post('/demo/clock', { advanceSeconds: 1800 }).expect(200);
      // After the demo's own billing listener, in registration order.
      expect(body.ran).toEqual([
        expect.objectContaining({ settledUntil: '2026-03-10T16:00:00.000Z' }),
        { settledUpTo: '2026-03-10T16:00:00.000Z' },
      ]);
      expect(seen).toEqual(['2026-03-10T16:00:00.000Z']);
    });

    it.each([
      [{}, 'advanceSeconds', 'exactlyOne'],
      [{ advanceSeconds: 60, now: '2026-03-11T00:00:00Z' }, 'now', 'exactlyOne'],
      [{ advanceSeconds: 0 }, 'advanceSeconds', 'min'],
      [{ advanceSeconds: -60 }, 'advanceSeconds', 'min'],
      [{ advanceSeconds: 1.5 }, 'advanceSeconds', 'isInt'],
      [{ advanceSeconds: '60' }, 'advanceSeconds', 'isInt'],
      [{ advanceSeconds: 400 * 86400 }, 'advanceSeconds', 'max'],
      [{ now: 'tomorrow' }, 'now', 'isIso8601'],
      [{ now: '2026-03-10T12:00:00Z' }, 'now', 'notBeforeClock'],
      [{ now: '2028-01-01T00:00:00Z' }, 'now', 'maxStep'],
      [{ advanceSeconds: 60, speed: 2 }, 'speed', 'whitelistValidation'],
    ])('refuses %j with a 400 naming %s and leaves the clock', async (move, field, rule) => {
      const before = (await t.as('admin').get('/demo/clock')).body.now;
      const { body } = await t.as('admin').post('/demo/clock', move).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field, rule }));
      expect((await t.as('admin').get('/demo/clock')).body.now).toBe(before);
    });
  });

  describe('login cookie', () => {
    it('signs in with only a cookie, as an admin or a user, and signs out', async () => {
      const browser = request.agent(t.app.getHttpServer());
      const login = await browser.get('/demo/login?as=admin').expect(302).expect('location', '/panel');
      const cookie = String(login.headers['set-cookie']);
      expect(cookie).toMatch(/^cloud_billing_demo_user=admin;/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      await browser.get(`${PREFIX}/admin/settings`).expect(200);

      await browser.get('/demo/logout').expect(302).expect('location', '/panel');
      await browser.get(`${PREFIX}/admin/settings`).expect(401);

      await browser.get('/demo/login?as=alice').expect(302);
      await browser.get(`${PREFIX}/admin/settings`).expect(403);
      await browser.get(`${PREFIX}/me/preferences`).expect(200);
    });

    it.each(['', '?as=', '?as=%3Cscript%3E', `?as=${'a'.repeat(65)}`])('refuses login%s with a 400', async (query) => {
      const { body, headers } = await t.anonymous().get(`/demo/login${query}`).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field: 'as' }));
      expect(headers['set-cookie']).toBeUndefined();
    });
  });

  describe('simulated fleet', () => {
    it('starts empty without the seed, adds a hypervisor and changes it, as the plugin sees it', async () => {
      await t.as('admin').get('/demo/hypervisors').expect(200, []);
      const currencies = (await t.as('admin').get('/admin/currencies').expect(200)).body;
      expect(currencies.map((c: { code: string }) => c.code)).toEqual(['USD']);
      const hv = { id: 'hv-test-1', name: 'Test 1', vcpus: 8, ramMb: 16384, diskGb: 200, online: true };
      await t.as('admin').post('/demo/hypervisors', hv).expect(201, hv);
      await t
        .as('admin')
        .post('/demo/hypervisors', { ...hv, online: false, vcpus: 16 })
        .expect(200);

      const expected = [{ ...hv, online: false, vcpus: 16 }];
      await t.as('admin').get('/demo/hypervisors').expect(200, expected);
      // The plugin's HypervisorInventory port is the very object the demo route changed.
      const port = t.app.get<DemoHypervisorInventory>(HYPERVISOR_INVENTORY, { strict: false });
      expect(await port.listHypervisors()).toEqual(expected);
    });

    it.each([
      [{ vcpus: 0 }, 'vcpus'],
      [{ ramMb: 1.5 }, 'ramMb'],
      [{ online: 'yes' }, 'online'],
      [{ id: 'has space' }, 'id'],
      [{ name: '' }, 'name'],
      [{ gpus: 2 }, 'gpus'],
    ])('refuses a hypervisor with %j (400 naming %s) and keeps the fleet', async (change, field) => {
      const before = (await t.as('admin').get('/demo/hypervisors')).body;
      const hv = { id: 'hv-bad', name: 'Bad', vcpus: 8, ramMb: 16384, diskGb: 200, online: true, ...change };
      const { body } = await t.as('admin').post('/demo/hypervisors', hv).expect(400);
      expect(body.errors).toContainEqual(expect.objectContaining({ field }));
      expect((await t.as('admin').get('/demo/hypervisors')).body).toEqual(before);
    });

    it('makes the next provisioner calls fail and shows every call', async () => {
      await t.as('admin').post('/demo/provisioner/failures', { count: 2 }).expect(200, { pendingFailures: 2 });
      const provisioner = t.app.get(DemoProvisioner);
      await expect(provisioner.create(provisionRequest('i-1'))).rejects.toThrow(/simulated provisioner failure/);
      await expect(provisioner.suspend('i-1')).rejects.toThrow(/simulated provisioner failure/);
      await provisioner.create(provisionRequest('i-1'));

      const { body } = await t.as('admin').get('/demo/provisioner/calls').expect(200);
      const now = (await t.as('admin').get('/demo/clock')).body.now;
      expect(body).toEqual([
        {
          action: 'create',
          instanceId: 'i-1',
          hypervisorId: 'hv-1',
          idempotencyKey: null,
          at: now,
          ok: false,
          repeat: false,
        },
        {
          action: 'suspend',
          instanceId: 'i-1',
          hypervisorId: null,
          idempotencyKey: null,
          at: now,
          ok: false,
          repeat: false,
        },
        {
          action: 'create',
          instanceId: 'i-1',
          hypervisorId: 'hv-1',
          idempotencyKey: null,
          at: now,
          ok: true,
          repeat: false,
        },
      ]);
      await t.as('admin').post('/demo/provisioner/failures', { count: -1 }).expect(400);
      await t.as('admin').post('/demo/provisioner/failures', { count: '3' }).expect(400);
    });

    it('lists delivered notifications oldest first, without their bodies', async () => {
      const notifier = t.app.get(DemoNotifier);
      await notifier.deliver('alice', 'low-balance', { subject: 'Low', html: '<p>low</p>', text: 'low' });
      await notifier.deliver('bob', 'suspended', { subject: 'Suspended', html: '<p>s</p>', text: 's' });
      const now = (await t.as('admin').get('/demo/clock')).body.now;
      await t
        .as('admin')
        .get('/demo/outbox')
        .expect(200, [
          { userId: 'alice', kind: 'low-balance', subject: 'Low', at: now },
          { userId: 'bob', kind: 'suspended', subject: 'Suspended', at: now },
        ]);
    });
  });

  describe('docs', () => {
    it('redirects / to the API docs, which serve a UI', async () => {
      await t.anonymous().get('/').expect(302).expect('location', '/docs');
      const page = await t.anonymous().get('/docs').expect(200);
      expect(page.text).toContain('swagger-ui');
    });

    it('documents every plugin and demo route, with the x-user-id header scheme', async () => {
      const { body } = await t.anonymous().get('/docs-json').expect(200);
      expect(body.components.securitySchemes['x-user-id']).toMatchObject({ type: 'apiKey', in: 'header' });
      const documented = Object.entries(body.paths as Record<string, object>).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const served = mappedRoutes(t.app)
        .filter((r) => r.path.startsWith(`${PREFIX}/`) || r.path.startsWith('/demo/'))
        .map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
      expect(served).toContain(`GET ${PREFIX}/admin/settings`);
      expect(served).toContain('POST /demo/clock');
      expect(documented.sort()).toEqual(expect.arrayContaining(served));
    });
  });
});

describe('demo host on real time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startDemoApp({ manualClock: false });
  });
  afterAll(() => t.close());

  it('reads the real time and refuses to move with a 409 that says how to start', async () => {
    const { body } = await t.as('admin').get('/demo/clock').expect(200);
    expect(body.manual).toBe(false);
    expect(Math.abs(Date.parse(body.now) - Date.now())).toBeLessThan(5_000);
    const refused = await t.as('admin').post('/demo/clock', { advanceSeconds: 3600 }).expect(409);
    expect(refused.body.message).toContain('start the demo with DEMO_CLOCK=manual');
  });
});

describe('demo host seed', () => {
  // A database that outlives one app, to restart on it: an SQLite file in a folder that does not exist yet.
  async function persistentDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
    if (testEngine() === 'mysql') return createTestDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'cloud-billing-seed-'));
    return {
      url: `sqlite:${join(dir, 'not', 'yet', 'demo.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }

  const start = (url: string) =>
    createDemoApp({ databaseUrl: url, admins: ['admin'], seed: true, manualClock: true, port: 0 });

  it('seeds the fleet and the currencies, once per database, across restarts', async () => {
    const database = await persistentDatabase();
    try {
      let app = await start(database.url);
      const admin = (path: string) => request(app.getHttpServer()).get(path).set('x-user-id', 'admin');
      const fleet = (await admin('/demo/hypervisors').expect(200)).body;
      expect(fleet).toHaveLength(6);
      expect(fleet.filter((h: { online: boolean }) => !h.online)).toHaveLength(1);
      const currencies = (await admin(`${PREFIX}/admin/currencies`).expect(200)).body;
      expect(currencies.map((c: { code: string }) => c.code)).toEqual(['EUR', 'GBP', 'USD']);
      expect(currencies).toContainEqual(
        expect.objectContaining({ code: 'EUR', valuePerCredit: '0.0092', prefix: '€' }),
      );
      expect(currencies).toContainEqual(expect.objectContaining({ code: 'USD', isDefault: true }));

      // An admin removes a seeded currency: a restart must not bring it back.
      await request(app.getHttpServer()).delete(`${PREFIX}/admin/currencies/EUR`).set('x-user-id', 'admin').expect(204);
      await app.close();

      app = await start(database.url);
      expect((await admin(`${PREFIX}/admin/currencies`).expect(200)).body.map((c: { code: string }) => c.code)).toEqual(
        ['GBP', 'USD'],
      );
      expect((await admin('/demo/hypervisors').expect(200)).body).toEqual(fleet);
      await app.close();
    } finally {
      await database.drop();
    }
  });

  it('gives every seeded plan the IPv4, backup and suspension-fee rules and adds the traffic counter, once', async () => {
    const database = await persistentDatabase();
    try {
      let app = await start(database.url);
      const admin = (path: string) => request(app.getHttpServer()).get(`${PREFIX}${path}`).set('x-user-id', 'admin');
      const metering = async () => {
        const plans = (await admin('/admin/plans').expect(200)).body as { id: number; slug: string }[];
        const rules = new Map<string, { id: number; key: string }[]>();
        for (const plan of plans) rules.set(plan.slug, (await admin(`/admin/plans/${plan.id}/rules`).expect(200)).body);
        return { plans, rules, counters: (await admin('/admin/counters').expect(200)).body };
      };
      const seeded = await metering();
      expect(seeded.plans).toHaveLength(5);
      for (const rules of seeded.rules.values()) {
        expect(rules.map((rule) => rule.key)).toEqual(['backup', 'ipv4', 'suspension-fee']);
      }
      expect(seeded.rules.get('b1-mini')).toEqual([
        expect.objectContaining({ name: 'Backups', unit: 'backup', kind: 'prepaid', on: ['running', 'stopped'] }),
        expect.objectContaining({
          name: 'IPv4 address',
          unit: 'address',
          price: '330',
          periodSeconds: 2_592_000,
          kind: 'postpaid',
          quantitySource: 'fixed',
          fixedQuantity: '1',
          on: ['terminated'],
          except: true,
        }),
        expect.objectContaining({
          name: 'Suspension fee',
          price: '0.5',
          periodSeconds: 3600,
          fixedQuantity: '1',
          on: ['suspended'],
          except: false,
        }),
      ]);
      expect(seeded.counters).toEqual([
        expect.objectContaining({
          key: 'traffic-out',
          name: 'Outgoing traffic',
          unitName: 'GB',
          measurementUnit: '1',
          planIds: null,
          ranges: [
            { from: '0', price: '0' },
            { from: '1000', price: '1' },
            { from: '10000', price: '0.8' },
          ],
        }),
      ]);
      // An admin deletes one: a restart neither brings it back nor adds the others again.
      const gpu = seeded.plans.find((plan) => plan.slug === 'g1-a100') as { id: number };
      const ipv4 = seeded.rules.get('g1-a100')?.find((rule) => rule.key === 'ipv4');
      await request(app.getHttpServer())
        .delete(`${PREFIX}/admin/plans/${gpu.id}/rules/${ipv4?.id}`)
        .set('x-user-id', 'admin')
        .expect(204);
      const edited = await metering();
      await app.close();

      app = await start(database.url);
      expect(await metering()).toEqual(edited);
      // A database seeded before this step existed gets it at its next start, adding only the keys it lacks.
      await app.get(DataSource).query(`DELETE FROM ${DemoSeedLog.TABLE} WHERE step = 'metering'`);
      await app.close();

      app = await start(database.url);
      const reseeded = await metering();
      expect(reseeded.counters).toEqual(edited.counters);
      expect(reseeded.rules.get('g1-a100')?.map((rule) => rule.key)).toEqual(['backup', 'ipv4', 'suspension-fee']);
      expect([...reseeded.rules.entries()].filter(([slug]) => slug !== 'g1-a100')).toEqual(
        [...edited.rules.entries()].filter(([slug]) => slug !== 'g1-a100'),
      );
      await app.close();
    } finally {
      await database.drop();
    }
  });
});
