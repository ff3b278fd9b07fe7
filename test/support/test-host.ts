import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CloudBillingTuning } from '../../src/cloud-billing.options';
import type { DemoConfig } from '../../src/demo/demo.config';
import { DemoHostModule } from '../../src/demo/demo-host.module';
import { setupOpenApi } from '../../src/demo/openapi';

/**
 * The plugin mounted in the simulated host, without the demo's pages, sign-in, seed or browser hardening: what the
 * plugin's end-to-end tests drive. Its /demo routes move the clock and the fleet; its /docs-json lists every route's
 * body, for the fuzz test.
 */
export async function createTestHost(config: DemoConfig, tuning: CloudBillingTuning = {}): Promise<INestApplication> {
  const app = await NestFactory.create(DemoHostModule.forRoot(config, tuning), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  setupOpenApi(app);
  await app.init();
  return app;
}
