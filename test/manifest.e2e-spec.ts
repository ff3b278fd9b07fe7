import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import * as pluginApi from '../src';
import { mappedRoutes, routeKey } from './support/routes';
import { testEngine } from './support/test-database';
import { PREFIX, startDemoApp, TestApp } from './support/test-app';

interface ManifestRoute {
  method: string;
  path: string;
  permission: string;
}
interface ManifestSlot {
  slot: string;
  route: string;
  permission: string;
}
interface Manifest {
  version: string;
  compatibility: { nestjs: string; typeorm: string; node: string };
  entry: { module: string; types: string; export: string; register: string[] };
  ports: { name: string; token: string; option: string }[];
  routePrefix: string;
  migrations: { directory: string; export: string; entitiesExport: string; tablePrefix: string };
  permissions: { id: string }[];
  routes: ManifestRoute[];
  uiSlots: ManifestSlot[];
  plannedUiSlots: ManifestSlot[];
  settings: Record<string, { type: string; default: unknown }>;
}

const root = join(__dirname, '..');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(root, file), 'utf8')) as T;
const manifest = readJson<Manifest>('plugin.manifest.json');
const pkg = readJson<{
  version: string;
  main: string;
  types: string;
  engines: { node: string };
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}>('package.json');
const installedVersion = (name: string) => readJson<{ version: string }>(`node_modules/${name}/package.json`).version;

/** Enough of semver for "^x.y.z": same major (same minor under 1.0), not older. */
function satisfiesCaret(version: string, range: string): boolean {
  const [want, have] = [range.replace(/^\^/, ''), version].map((v) => v.split('.').map(Number));
  if (have[0] !== want[0] || (want[0] === 0 && have[1] !== want[1])) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

const SETTING_TYPES: Record<string, string> = {
  credits: 'string',
  boolean: 'boolean',
  integer: 'number',
  timeZone: 'string',
};
const samplePath = (path: string) => path.replace(/:[A-Za-z0-9_]+/g, 'XYZ');

describe('plugin.manifest.json', () => {
  let t: TestApp;
  let served: Set<string>;
  beforeAll(async () => {
    // The demo, whose pages fill the manifest's UI slots.
    t = await startDemoApp();
    served = new Set(mappedRoutes(t.app).map(routeKey));
  });
  afterAll(() => t.close());

  it('has the version, entry module and compatible ranges of this package', () => {
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.entry.module).toBe(pkg.main);
    expect(manifest.entry.types).toBe(pkg.types);
    const entry = (pluginApi as Record<string, unknown>)[manifest.entry.export] as Record<string, unknown>;
    expect(entry).toBe(pluginApi.CloudBillingModule);
    for (const method of manifest.entry.register) expect(typeof entry[method]).toBe('function');

    expect(manifest.compatibility.node).toBe(pkg.engines.node);
    expect(satisfiesCaret(installedVersion('@nestjs/core'), manifest.compatibility.nestjs)).toBe(true);
    // Nest is the host's (a peer); the exact version pinned for development here is the one the tests run on.
    expect(satisfiesCaret(pkg.devDependencies['@nestjs/core'], manifest.compatibility.nestjs)).toBe(true);
    expect(pkg.peerDependencies['@nestjs/core']).toBe(manifest.compatibility.nestjs);
    expect(pkg.peerDependencies.typeorm).toBe(manifest.compatibility.typeorm);
    expect(satisfiesCaret(installedVersion('typeorm'), manifest.compatibility.typeorm)).toBe(true);
  });

  it('names host ports whose tokens the package exports', () => {
    expect(manifest.ports.length).toBeGreaterThanOrEqual(5);
    for (const port of manifest.ports) {
      expect(typeof (pluginApi as Record<string, unknown>)[port.token]).toBe('symbol');
    }
  });

  it('names the migrations and the table prefix the database really gets', async () => {
    const exported = (pluginApi as Record<string, unknown>)[manifest.migrations.export] as { name: string }[];
    // The manifest names the built folder the package ships (the install test checks it is in the tarball);
    // here, before any build, its sources are the repository's migrations/.
    const sources = manifest.migrations.directory.replace(/^dist\//, '');
    const files = readdirSync(join(root, sources)).filter((f) => /^\d{13}-.+\.ts$/.test(f));
    expect(exported.map((m) => m.name.match(/\d{13}$/)?.[0]).sort()).toEqual(files.map((f) => f.slice(0, 13)).sort());

    const entities = (pluginApi as Record<string, unknown>)[manifest.migrations.entitiesExport] as unknown[];
    expect(entities.length).toBeGreaterThan(0);
    const dataSource = t.app.get(DataSource);
    // The host's migrations table and SQLite's own bookkeeping are not the plugin's.
    const notOurs = new Set([dataSource.options.migrationsTableName ?? 'migrations', 'sqlite_sequence']);
    const rows: { name: string }[] = await dataSource.query(
      testEngine() === 'mysql'
        ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()'
        : "SELECT name FROM sqlite_master WHERE type = 'table'",
    );
    const own = rows.map((row) => row.name).filter((name) => !notOurs.has(name));
    expect(own.length).toBeGreaterThan(0);
    for (const name of own) expect(name).toMatch(new RegExp(`^${manifest.migrations.tablePrefix}`));
  });

  it('lists exactly the settings the API serves, with their defaults on a fresh database', async () => {
    const { body } = await t.as('admin').get('/admin/settings').expect(200);
    expect(Object.keys(manifest.settings).sort()).toEqual(Object.keys(body).sort());
    for (const [key, setting] of Object.entries(manifest.settings)) {
      expect({ key, default: setting.default }).toEqual({ key, default: body[key] });
      expect({ key, type: typeof setting.default }).toEqual({ key, type: SETTING_TYPES[setting.type] });
    }
  });

  it('lists routes that the app serves under the prefix', () => {
    expect(manifest.routePrefix).toBe(`/${pluginApi.DEFAULT_ROUTE_PREFIX}`);
    expect(manifest.routePrefix).toBe(PREFIX);
    const missing = manifest.routes
      .map((r) => `${r.method} ${manifest.routePrefix}${r.path}`)
      .filter((r) => !served.has(r));
    expect(missing).toEqual([]);
  });

  it('lists every route the plugin serves (add a new route to the manifest)', () => {
    const listed = new Set(manifest.routes.map((r) => `${r.method} ${manifest.routePrefix}${r.path}`));
    const unlisted = [...served].filter(
      (r) => r.split(' ')[1].startsWith(`${manifest.routePrefix}/`) && !listed.has(r),
    );
    expect(unlisted).toEqual([]);
  });

  it('states the permission each route enforces', async () => {
    const permissions = new Set(manifest.permissions.map((p) => p.id));
    expect([...permissions].sort()).toEqual(['admin', 'user']);
    for (const route of manifest.routes) {
      expect(permissions).toContain(route.permission);
      const path = samplePath(`${manifest.routePrefix}${route.path}`);
      const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
      // Guards run before pipes and handlers, so nothing is written by these probes.
      const anonymous = await t.anonymous()[method](path);
      expect({ route: routeKey(route), status: anonymous.status }).toEqual({ route: routeKey(route), status: 401 });
      if (route.permission === 'admin') {
        const user = await t.as('not-an-admin')[method](path.slice(PREFIX.length));
        expect({ route: routeKey(route), status: user.status }).toEqual({ route: routeKey(route), status: 403 });
      }
    }
  });

  it('fills UI slots only with routes that exist, and keeps planned ones apart until they do', () => {
    const slots = [...manifest.uiSlots, ...manifest.plannedUiSlots].map((s) => s.slot).sort();
    expect(slots).toEqual([
      'admin-settings',
      'dashboard-widget',
      'instance-creation-wizard',
      'monthly-statements',
      'usage-report',
    ]);
    expect(manifest.uiSlots.filter((s) => !served.has(s.route))).toEqual([]);
    // A planned slot that is now served belongs in uiSlots.
    expect(manifest.plannedUiSlots.filter((s) => served.has(s.route))).toEqual([]);
  });
});
