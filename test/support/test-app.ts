import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { CloudBillingTuning } from '../../src/cloud-billing.options';
import { createDemoApp } from '../../src/demo/create-demo-app';
import { DemoConfig, pluginBasePath } from '../../src/demo/demo.config';
import { createTestDatabase } from './test-database';
import { createTestHost } from './test-host';

export const PREFIX = '/cloud-billing';
export const TEST_CLOCK_START = new Date('2026-03-10T12:00:00Z');

export interface TestApp {
  app: INestApplication;
  /** Requests as the given user id ('admin' is an admin). */
  as(userId: string): {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
    patch(path: string, body?: object): request.Test;
    put(path: string, body?: object): request.Test;
    delete(path: string): request.Test;
  };
  anonymous(): request.Agent;
  close(): Promise<void>;
}

export interface TestAppOptions extends Partial<DemoConfig> {
  /** The plugin's tuning options (batch sizes, timeouts). */
  tuning?: CloudBillingTuning;
}

/**
 * The plugin in the test host (no pages) on a fresh database, unseeded, with the manual clock. With `databaseUrl`
 * it joins an existing database instead (a second replica); the caller then owns the database.
 */
export function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const { tuning, ...overrides } = options;
  return startApp(overrides, (config) => createTestHost(config, tuning));
}

/** The whole demo host, pages and sign-in included, set up as `startTestApp` sets up the test host. */
export function startDemoApp(overrides: Partial<DemoConfig> = {}): Promise<TestApp> {
  return startApp(overrides, createDemoApp);
}

async function startApp(
  overrides: Partial<DemoConfig>,
  create: (config: DemoConfig) => Promise<INestApplication>,
): Promise<TestApp> {
  const database = overrides.databaseUrl
    ? { url: overrides.databaseUrl, drop: async () => undefined }
    : await createTestDatabase();
  const config: DemoConfig = {
    admins: ['admin'],
    seed: false,
    manualClock: true,
    clockStart: TEST_CLOCK_START,
    port: 0,
    ...overrides,
    databaseUrl: database.url,
  };
  const app = await create(config);
  const server = app.getHttpServer();
  const prefix = pluginBasePath(config);
  const url = (path: string) => (path.startsWith('/demo') ? path : `${prefix}${path}`);
  return {
    app,
    as: (userId) => ({
      get: (path) => request(server).get(url(path)).set('x-user-id', userId),
      post: (path, body) => request(server).post(url(path)).set('x-user-id', userId).send(body),
      patch: (path, body) => request(server).patch(url(path)).set('x-user-id', userId).send(body),
      put: (path, body) => request(server).put(url(path)).set('x-user-id', userId).send(body),
      delete: (path) => request(server).delete(url(path)).set('x-user-id', userId),
    }),
    anonymous: () => request.agent(server),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
