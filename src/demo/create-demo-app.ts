import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { DemoConfig } from './demo.config';
import { ensureSqliteDirectory } from './demo-database';
import { DemoAppModule } from './demo.module';
import { applyHttpSecurity } from './http-security';
import { setupOpenApi } from './openapi';

export async function createDemoApp(config: DemoConfig): Promise<INestApplication> {
  ensureSqliteDirectory(config.databaseUrl);
  const app = await NestFactory.create<NestExpressApplication>(DemoAppModule.forRoot(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  app.use(cookieParser());
  applyHttpSecurity(app);
  app.enableShutdownHooks();
  setupOpenApi(app);
  await app.init();
  return app;
}
