/**
 * npm run bench — runs every bench/*.bench.ts, one after the other, each in its own process, passing on the
 * arguments given (`npm run bench -- --quick`). Exits non-zero if any of them did.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const benchmarks = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();
const failed: string[] = [];
for (const file of benchmarks) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, file), ...process.argv.slice(2)],
    { cwd: join(__dirname, '..'), stdio: 'inherit', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
  );
  if (run.status !== 0) failed.push(`${file} (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`);
}
if (benchmarks.length === 0) console.log('no bench/*.bench.ts found');
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
