import { createDemoApp } from './create-demo-app';
import { readDemoConfig } from './demo.config';

async function main(): Promise<void> {
  const config = readDemoConfig();
  const app = await createDemoApp(config);
  await app.listen(config.port);
  const url = `http://localhost:${config.port}`;
  console.log(
    `cloud-billing demo host on ${url} (API docs: ${url}/docs, clock: ${config.manualClock ? 'manual' : 'real'})`,
  );
}

main().catch((error: unknown) => {
  console.error('cloud-billing demo host failed to start:', error);
  process.exit(1);
});
