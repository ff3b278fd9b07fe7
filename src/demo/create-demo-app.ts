import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import type { DemoConfig } from './demo.config';
import { ensureSqliteDirectory } from './demo-database';
import { DemoAppModule } from './demo.module';
import { setupOpenApi } from './openapi';

export async function createDemoApp(config: DemoConfig): Promise<INestApplication> {
  ensureSqliteDirectory(config.databaseUrl);
  const app = await NestFactory.create(DemoAppModule.forRoot(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  app.use(cookieParser());
  app.enableShutdownHooks();
  setupOpenApi(app);
  await app.init();
  return app;
}
