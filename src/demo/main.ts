import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_SQLITE_FILE } from '../common/data-source-options';
import { createDemoApp } from './create-demo-app';
import { readDemoConfig } from './demo.config';

async function main(): Promise<void> {
  const config = readDemoConfig();
  if (!config.databaseUrl) mkdirSync(dirname(DEFAULT_SQLITE_FILE), { recursive: true });
  const app = await createDemoApp(config);
  await app.listen(config.port);
  console.log(`cloud-billing demo host on http://localhost:${config.port} (API docs: /docs, panel: /panel)`);
}

void main();
