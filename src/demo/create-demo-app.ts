import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import type { DemoConfig } from './demo.config';
import { DemoAppModule } from './demo.module';

export async function createDemoApp(config: DemoConfig): Promise<INestApplication> {
  const app = await NestFactory.create(DemoAppModule.forRoot(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  app.use(cookieParser());
  app.enableShutdownHooks();
  await app.init();
  return app;
}
