import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AT_LINE, CrashChildInput } from './crash-child';

const ROOT = join(__dirname, '..', '..');
const CHILD = join(__dirname, 'crash-child.ts');

/**
 * Runs the billing run (or another `script` taking its input the same way) in a child process until it reports
 * reaching its kill point, then kills it with SIGKILL:
 * no shutdown hook, no rollback by the app, just a dead process and whatever its database had committed.
 * The child starts under ts-node's transpile-only mode (about 5 s); one child a kill point does not pay for
 * transpiling all of src/ first.
 */
export async function runUntilKilled(
  input: CrashChildInput | { killAt: { name: string } },
  script = CHILD,
): Promise<void> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script, JSON.stringify(input)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' comes after the child's output is all read, so a line it printed is never missed.
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === `${AT_LINE}${input.killAt.name}`) resolve();
      });
      child.on('error', reject);
      void closed.then((code) =>
        reject(new Error(`the child exited (${code}) before reaching ${input.killAt.name}:\n${stderr}`)),
      );
    });
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
}
