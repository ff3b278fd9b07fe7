import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchTarget } from './bench-db';
import { unreachableReason } from './database';

/** Where the growth series runs a second time, or why it does not. */
export type GaleraPlan =
  { target: BenchTarget; shown: string; startedHere: boolean; stop: () => void } | { skipped: string };

/** Node 1 of scripts/galera-cluster.sh (nodes listen on 3311–3313). */
const SCRIPT_NODE = 'mysql://root@127.0.0.1:3311/';
/** Bootstrapping three nodes (and installing the packages the first time) takes a while; never forever. */
const START_TIMEOUT_MS = 10 * 60_000;

/**
 * The Galera cluster to run the growth series on: GALERA_URL when set (a node of a cluster someone else runs);
 * else the project's own scripts/galera-cluster.sh, used as it is when `status` says it is up. With `start` (the
 * bench's --start-galera) a cluster that is not up is started, and stopped again at the end. Not by default: a
 * cluster whose status fails may be one the cluster tests are killing nodes of, and starting it then would
 * interfere. One app connects to one node: every commit is certified by all three, which is the cost the series
 * measures. Says why when there is no cluster to use.
 */
export async function galeraPlan(
  root: string,
  start: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GaleraPlan> {
  if (env.GALERA_URL) {
    const url = new URL(env.GALERA_URL.replace(/^mariadb:/, 'mysql:'));
    url.pathname = '/';
    const unreachable = await unreachableReason(url);
    if (unreachable) return { skipped: `GALERA_URL (${url.host}) is not reachable: ${unreachable}` };
    return { target: { engine: 'mariadb', location: url.toString() }, shown: url.host, startedHere: false, stop() {} };
  }
  const script = join(root, 'scripts', 'galera-cluster.sh');
  if (!existsSync(script)) return { skipped: 'no GALERA_URL and no scripts/galera-cluster.sh to start a cluster with' };
  const shown = new URL(SCRIPT_NODE).host;
  const target: BenchTarget = { engine: 'mariadb', location: SCRIPT_NODE };
  if (run(script, 'status', 30_000).ok) return { target, shown, startedHere: false, stop() {} };
  if (!start) {
    return {
      skipped: 'no GALERA_URL and scripts/galera-cluster.sh status says no cluster is up (--start-galera starts one)',
    };
  }

  console.log('starting a 3-node Galera cluster with scripts/galera-cluster.sh start …');
  const started = run(script, 'start', START_TIMEOUT_MS);
  if (!started.ok) return { skipped: `scripts/galera-cluster.sh start failed: ${started.why}` };
  const unreachable = await unreachableReason(new URL(SCRIPT_NODE));
  if (unreachable) {
    run(script, 'stop', 120_000);
    return { skipped: `the cluster started but node 1 does not answer: ${unreachable}` };
  }
  // Stopped again at the end: the bench leaves the machine as it found it.
  return { target, shown, startedHere: true, stop: () => void run(script, 'stop', 120_000) };
}

/**
 * The script's output goes to the bench's own (piped, the SQL client it runs could keep the pipe open past the
 * timeout and hold spawnSync with it), so what failed is on screen above the reason given.
 */
function run(script: string, command: string, timeout: number): { ok: boolean; why: string } {
  const result = spawnSync('bash', [script, command], { stdio: ['ignore', 'inherit', 'inherit'], timeout });
  if (result.status === 0) return { ok: true, why: '' };
  return { ok: false, why: result.error ? result.error.message : `exit ${result.status ?? result.signal}` };
}
