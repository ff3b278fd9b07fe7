import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { installHostProject, npm, packThisPackage, PackedTarball, RunningHost, startHost } from './support/packed-host';
import { createTestDatabase, testEngine } from './support/test-database';

/**
 * The proof that the package works for someone who is not us: `npm pack`, a fresh host project in a temporary
 * folder outside this repository that installs the tarball and its peers from the registry, and that host, started
 * with plain `node` on MariaDB, used over HTTP. Nothing here imports this repository's code.
 */
const NAME = 'the packed tarball installed in a fresh host project';
// Packing builds dist/ (about a minute on CI) and the install reuses npm's cache; the host starts in seconds.
const SETUP_MS = 5 * 60_000;
const HOST_NOW = '2026-03-10T15:00:00.000Z';

const describeOnMysql = testEngine() === 'mysql' ? describe : describe.skip;
if (testEngine() !== 'mysql') {
  console.log(`[cloud-billing] skipped "${NAME}": the host runs on MySQL/MariaDB (set DATABASE_URL=mysql://…)`);
}

describeOnMysql(NAME, () => {
  let folder: string;
  let tarball: PackedTarball;
  let database: { url: string; drop: () => Promise<void> };
  let host: RunningHost;
  const as = (user: string) => ({
    get: (path: string) => request(host.url).get(`/cloud-billing${path}`).set('x-host-user', user),
    post: (path: string, body: object) =>
      request(host.url).post(`/cloud-billing${path}`).set('x-host-user', user).send(body),
  });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'cloud-billing-host-'));
    tarball = await packThisPackage(folder);
    await installHostProject(folder, tarball.path);
    database = await createTestDatabase();
    host = await startHost(folder, { HOST_DATABASE_URL: database.url, HOST_NOW });
  }, SETUP_MS);

  afterAll(async () => {
    await host?.stop();
    await database?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('ships the built code, its templates and migrations, and no sources, tests or demo', () => {
    expect(tarball.files).toEqual(expect.arrayContaining(['package.json', 'dist/src/index.js', 'dist/src/index.d.ts']));
    expect(tarball.files.some((file) => /^dist\/migrations\/\d{13}-.+\.js$/.test(file))).toBe(true);
    expect(tarball.files.some((file) => /^dist\/src\/.+\/templates\/.+\.hbs$/.test(file))).toBe(true);
    const unexpected = tarball.files.filter(
      (file) =>
        !/^dist\/(src|migrations)\//.test(file) &&
        !['package.json', 'README.md', 'plugin.manifest.json'].includes(file),
    );
    expect(unexpected).toEqual([]);
    expect(tarball.files.filter((file) => /^dist\/src\/demo\/|\.spec\.|\.map$/.test(file))).toEqual([]);
  });

  it('ships every file and folder the plugin manifest names', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'plugin.manifest.json'), 'utf8')) as {
      entry: { module: string; types: string };
      migrations: { directory: string };
    };
    expect(tarball.files).toEqual(expect.arrayContaining([manifest.entry.module, manifest.entry.types]));
    const migrations = tarball.files.filter((file) => file.startsWith(`${manifest.migrations.directory}/`));
    expect(migrations.filter((file) => /\/\d{13}-.+\.js$/.test(file)).length).toBe(
      readdirSync(join(__dirname, '..', 'migrations')).filter((file) => /^\d{13}-.+\.ts$/.test(file)).length,
    );
  });

  it("installs with one copy of @nestjs/core, the host's own", async () => {
    const { stdout } = await npm(['ls', '@nestjs/core', '--all', '--parseable'], folder);
    const copies = new Set(stdout.split('\n').filter((line) => line.trim() !== ''));
    expect([...copies]).toEqual([join(folder, 'node_modules', '@nestjs', 'core')]);
  });

  it('creates a plan, registers an instance, runs billing and reports the usage, over HTTP', async () => {
    const group = await as('admin').post('/admin/plan-groups', { name: 'General', slug: 'general' }).expect(201);
    const plan = await as('admin')
      .post('/admin/plans', {
        groupId: group.body.id,
        name: 'Small',
        slug: 'small',
        vcpus: 2,
        ramMb: 2048,
        diskGb: 40,
        hourlyPrice: '1.5',
      })
      .expect(201);
    await as('admin').post('/admin/accounts/alice/credits', { amount: '100', reference: 'card-1' }).expect(201);
    await as('admin')
      .post('/host/instances', {
        id: 'vm-1',
        userId: 'alice',
        planId: plan.body.id,
        name: 'vm-1',
        at: '2026-03-10T12:00:00Z',
      })
      .expect(201);

    // The host's clock stands at 15:00: three complete hours at 1.5 credits.
    await as('admin').post('/admin/billing/run', {}).expect(200);
    expect((await as('alice').get('/me/account').expect(200)).body.balance.credits).toBe('95.5');
    const { body: usage } = await as('alice').get('/me/usage?month=2026-03').expect(200);
    expect(usage).toMatchObject({ month: '2026-03', total: { credits: '4.5' } });
    expect(usage.rows).toEqual([expect.objectContaining({ instanceId: 'vm-1', plan: 'Small', hours: 3 })]);
    await as('alice').get('/admin/usage').expect(403);
  });
});
