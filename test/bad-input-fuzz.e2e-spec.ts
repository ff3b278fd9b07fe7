import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DemoHypervisorInventory } from '../src/demo/demo-ports';
import { bodyText } from './support/json-fuzz';
import { MappedRoute, mappedRoutes, routeKey, toOpenApiPath } from './support/routes';
import { tableDigests } from './support/table-digests';
import { testEngine } from './support/test-database';
import { PREFIX, startTestApp, TestApp } from './support/test-app';

/** Per route and user: about 1,000 requests in all, well under a minute on either engine. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** Set to replay a failure; fast-check prints the seed it used. */
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const USERS = ['admin', 'alice'];
/** Well-formed path parameters, so the body is what decides; any other parameter gets "1". */
const PARAM_VALUES: Record<string, string> = { code: 'USD', userId: 'alice', hypervisorId: 'hv-a' };

type OpenApi = {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

/** The field names of the route's body DTO, from the OpenAPI document the app serves. */
function bodyFields(document: OpenApi, route: MappedRoute): string[] {
  const operation = document.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()];
  const ref = operation?.requestBody?.content?.['application/json']?.schema?.$ref;
  const schema = ref ? document.components.schemas[ref.split('/').pop() as string] : undefined;
  return Object.keys(schema?.properties ?? {});
}

const withParams = (path: string) =>
  path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => PARAM_VALUES[name] ?? '1');

interface FieldError {
  field?: unknown;
}

describe('fuzzed JSON bodies on every body route', () => {
  let t: TestApp;
  const tally = { cases: 0, serverErrors: 0, refused: 0, routes: 0 };

  beforeAll(async () => {
    t = await startTestApp();
    t.app
      .get(DemoHypervisorInventory)
      .upsert({ id: 'hv-a', name: 'A', vcpus: 64, ramMb: 262_144, diskGb: 8_000, online: true });
    // A small catalog and a funded user, so the bodies that pass validation reach the services.
    const admin = t.as('admin');
    await admin.post('/admin/plan-groups', { name: 'General', slug: 'general' }).expect(201);
    await admin.post('/admin/locations', { name: 'Frankfurt', slug: 'fra' }).expect(201);
    await admin.put('/admin/locations/1/hypervisors', { hypervisorIds: ['hv-a'] }).expect(200);
    const plan = { groupId: 1, name: 'Small', slug: 'small', vcpus: 1, ramMb: 1024, diskGb: 10, hourlyPrice: '0.01' };
    await admin.post('/admin/plans', { ...plan, locationIds: [1] }).expect(201);
    await admin.post('/admin/accounts/alice/credits', { amount: '100', reference: 'fuzz-seed' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    console.log(
      `[fuzz ${testEngine()}] ${tally.cases} cases on ${tally.routes} body routes as admin and user: ` +
        `${tally.refused} refused with 4xx, ${tally.serverErrors} answered 5xx`,
    );
  });

  it('never answers 5xx, names a field in every 400, and changes no table when it refuses', async () => {
    const document = (await t.anonymous().get('/docs-json').expect(200)).body as OpenApi;
    const routes = mappedRoutes(t.app).filter(
      (route) =>
        BODY_METHODS.has(route.method) && (route.path.startsWith(`${PREFIX}/`) || route.path.startsWith('/demo/')),
    );
    tally.routes = routes.length;
    expect(routes.length).toBeGreaterThan(20);
    const dataSource = t.app.get(DataSource);
    let digests = await tableDigests(dataSource);

    for (const route of routes) {
      const path = withParams(route.path);
      const method = route.method.toLowerCase() as 'post' | 'put' | 'patch';
      for (const user of USERS) {
        const property = fc.asyncProperty(bodyText(bodyFields(document, route)), async (text) => {
          const server = request(t.app.getHttpServer());
          const response = await server[method](path)
            .set('x-user-id', user)
            .set('content-type', 'application/json')
            .send(text);
          tally.cases++;
          if (response.status >= 500) tally.serverErrors++;
          expect(response.status).toBeLessThan(500);
          if (response.status === 400) {
            const errors = (response.body as { errors?: FieldError[] }).errors;
            expect(errors?.length).toBeGreaterThan(0);
            // An empty key is named as sent: "".
            const named = text.includes('"":') ? expect.any(String) : expect.stringMatching(/./);
            for (const error of errors ?? []) expect(error.field).toEqual(named);
          }
          const after = await tableDigests(dataSource);
          if (response.status >= 400) {
            tally.refused++;
            expect(after).toEqual(digests);
          }
          digests = after;
        });
        try {
          await fc.assert(property, { numRuns: RUNS, seed: SEED });
        } catch (error) {
          throw new Error(`${user} ${routeKey(route)}: ${(error as Error).message}`);
        }
      }
    }
  }, 600_000);
});
