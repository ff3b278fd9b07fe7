import { ConfigurableModuleOptionsFactory, INestApplication, Injectable, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import request from 'supertest';
// A host knows the package's public API only.
import {
  AuthenticatedUser,
  BillingNotifier,
  CLOUD_BILLING_ENTITIES,
  CLOUD_BILLING_MIGRATIONS,
  CloudBillingModule,
  CloudBillingOptions,
  CurrentUser,
  HypervisorInventory,
  InstanceProvisioner,
  UserDirectory,
} from '../src';
import { createTestDatabase, testEngine } from './support/test-database';

/** This host's auth: bearer tokens it issued itself; no x-user-id, no cookie. */
@Injectable()
class HostTokens {
  private readonly tokens = new Map<string, AuthenticatedUser>([
    ['root-token', { id: 'root', isAdmin: true }],
    ['bob-token', { id: 'bob', isAdmin: false }],
  ]);

  issue(token: string, user: AuthenticatedUser): void {
    this.tokens.set(token, user);
  }

  lookup(token: string): AuthenticatedUser | null {
    return this.tokens.get(token) ?? null;
  }
}

class BearerCurrentUser implements CurrentUser {
  constructor(private readonly tokens: HostTokens) {}

  fromRequest(request: unknown): AuthenticatedUser | null {
    const header = (request as { headers: Record<string, string | undefined> }).headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    return match ? this.tokens.lookup(match[1]) : null;
  }
}

const inventory: HypervisorInventory = { listHypervisors: async () => [] };
const provisioner: InstanceProvisioner = {
  create: async () => undefined,
  suspend: async () => undefined,
  unsuspend: async () => undefined,
  terminate: async () => undefined,
};
const notifier: BillingNotifier = { deliver: async () => undefined };
const directory: UserDirectory = { findUser: async (id) => ({ id, email: `${id}@host.test`, displayName: id }) };

const optionsFor = (tokens: HostTokens): CloudBillingOptions => ({
  hypervisorInventory: inventory,
  instanceProvisioner: provisioner,
  billingNotifier: notifier,
  userDirectory: directory,
  currentUser: new BearerCurrentUser(tokens),
});

/** The options factory a host writes for `useClass` / `useExisting`; the builder calls its `create()`. */
@Injectable()
class HostBillingOptions implements ConfigurableModuleOptionsFactory<CloudBillingOptions, 'create'> {
  calls = 0;

  constructor(private readonly tokens: HostTokens) {}

  create(): CloudBillingOptions {
    this.calls += 1;
    return optionsFor(this.tokens);
  }
}

@Module({ providers: [HostTokens], exports: [HostTokens] })
class HostAuthModule {}

@Module({ imports: [HostAuthModule], providers: [HostBillingOptions], exports: [HostBillingOptions] })
class HostBillingOptionsModule {}

/** The host's own connection: the plugin's entities and migrations added to it, as a README reader would. */
async function hostDatabase(): Promise<{ options: TypeOrmModuleOptions; drop: () => Promise<void> }> {
  const plugin = { entities: CLOUD_BILLING_ENTITIES, migrations: CLOUD_BILLING_MIGRATIONS, migrationsRun: true };
  if (testEngine() === 'sqlite') {
    return { options: { type: 'better-sqlite3', database: ':memory:', ...plugin }, drop: async () => undefined };
  }
  const database = await createTestDatabase();
  return {
    options: {
      type: 'mysql',
      url: database.url,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      ...plugin,
    },
    drop: database.drop,
  };
}

async function startHost(billing: Type | ReturnType<typeof CloudBillingModule.forRoot>, extra: Type[] = []) {
  const database = await hostDatabase();
  const moduleRef = await Test.createTestingModule({
    imports: [TypeOrmModule.forRoot(database.options), ScheduleModule.forRoot(), ...extra, billing],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  const http = () => request(app.getHttpServer());
  return {
    app,
    http,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('a minimal host (not the demo)', () => {
  describe('forRootAsync with useClass and its own route prefix', () => {
    let host: Awaited<ReturnType<typeof startHost>>;
    beforeAll(async () => {
      host = await startHost(
        CloudBillingModule.forRootAsync({
          imports: [HostAuthModule],
          useClass: HostBillingOptions,
          routePrefix: 'billing',
        }),
      );
    });
    afterAll(() => host.close());

    it('serves the admin API under /billing to the host admin', async () => {
      const { body } = await host.http().get('/billing/admin/settings').set(bearer('root-token')).expect(200);
      expect(body).toMatchObject({ lowBalanceThreshold: '10', billingGranularitySeconds: 3600 });
      await host
        .http()
        .patch('/billing/admin/settings')
        .set(bearer('root-token'))
        .send({ runwayWarningHours: 6 })
        .expect(200);
      expect((await host.http().get('/billing/admin/settings').set(bearer('root-token'))).body.runwayWarningHours).toBe(
        6,
      );
    });

    it("answers 401 and 403 through the host's auth, and ignores the demo's", async () => {
      await host.http().get('/billing/admin/settings').expect(401);
      await host.http().get('/billing/admin/settings').set(bearer('stolen')).expect(401);
      await host.http().get('/billing/admin/settings').set('x-user-id', 'admin').expect(401);
      await host.http().get('/billing/admin/settings').set(bearer('bob-token')).expect(403);
      await host.http().get('/billing/me/preferences').set(bearer('bob-token')).expect(200);
    });

    it('mounts nothing at the default prefix nor any demo route', async () => {
      await host.http().get('/cloud-billing/admin/settings').set(bearer('root-token')).expect(404);
      await host.http().get('/demo/clock').expect(404);
    });
  });

  describe('forRoot with plain options', () => {
    let host: Awaited<ReturnType<typeof startHost>>;
    beforeAll(async () => {
      host = await startHost(CloudBillingModule.forRoot(optionsFor(new HostTokens())));
    });
    afterAll(() => host.close());

    it('serves the default /cloud-billing prefix', async () => {
      await host.http().get('/cloud-billing/admin/currencies').set(bearer('root-token')).expect(200);
      await host.http().get('/cloud-billing/admin/currencies').set(bearer('bob-token')).expect(403);
    });
  });

  describe('forRootAsync with useExisting', () => {
    let host: Awaited<ReturnType<typeof startHost>>;
    beforeAll(async () => {
      host = await startHost(
        CloudBillingModule.forRootAsync({ imports: [HostBillingOptionsModule], useExisting: HostBillingOptions }),
        [HostBillingOptionsModule],
      );
    });
    afterAll(() => host.close());

    it("asks the host's own factory instance, whose auth the host keeps changing", async () => {
      expect(host.app.select(HostBillingOptionsModule).get(HostBillingOptions).calls).toBe(1);
      await host.http().get('/cloud-billing/admin/settings').set(bearer('new-admin')).expect(401);
      host.app.get(HostTokens).issue('new-admin', { id: 'carol', isAdmin: true });
      await host.http().get('/cloud-billing/admin/settings').set(bearer('new-admin')).expect(200);
    });
  });
});
