import { mappedRoutes } from './support/routes';
import { PREFIX, startTestApp, TestApp } from './support/test-app';

// The plugin's end-to-end tests must not lean on the demo's pages: their host has none.
describe("the plugin's test host", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("mounts the plugin and the simulation's controls, and no page, sign-in or seed", async () => {
    const paths = mappedRoutes(t.app).map((route) => route.path);
    expect(paths.filter((path) => path.startsWith(`${PREFIX}/`)).length).toBeGreaterThan(40);
    expect(paths.filter((path) => path.startsWith('/panel'))).toEqual([]);
    expect(paths).not.toContain('/demo/login');
    expect(paths).toEqual(expect.arrayContaining(['/demo/clock', '/demo/hypervisors', '/demo/outbox']));
    await t.anonymous().get('/panel').expect(404);
    expect((await t.as('admin').get('/demo/hypervisors').expect(200)).body).toEqual([]);
  });
});
