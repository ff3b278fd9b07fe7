/**
 * npm run bench:billing — how fast the hourly settlement is on MariaDB, against the same work done with bare
 * batched SQL and against the minimal floor any design must pay, and how its time and memory grow with the work.
 *
 *   npm run bench:billing                  the growth series at 10k, 100k and 1M instance-hours, each as one hour
 *                                          of N instances and as 24 missed hours of N/24 (10k and 100k also with
 *                                          the bare SQL); then the same series on a Galera cluster when one is up (galera.ts)
 *   npm run bench:billing -- --quick       the series at 1k and 10k only (a smoke run)
 *   npm run bench:billing -- --sizes=10000,100000   these sizes (instance-hours) instead
 *   npm run bench:billing -- --profile     also a profiled hourly 10k run (done anyway when the floor goal is missed)
 *   npm run bench:billing -- --no-profile  never profile
 *   npm run bench:billing -- --no-galera   not on a Galera cluster
 *   npm run bench:billing -- --start-galera  start scripts/galera-cluster.sh when no cluster is up (stopped after)
 *
 * Uses DATABASE_URL when it is mysql:// (or mariadb://), else mysql://root@127.0.0.1:3306; DATABASE_URL=sqlite:
 * runs the same on SQLite files in the system's temporary folder (and no Galera). Each scenario has a database of
 * its own (cloud_billing_bench_<random>, and …_floor for the bare SQL's copy), seeded and dropped at the end:
 * settleDue settles it, the bare SQL the same hours of the copy (compared row by row), and the minimal floor
 * then writes as many instance-hours after the settled ones. Each phase has a process of its own. When MariaDB
 * cannot be reached it says why and exits 0. Writes bench/results/billing-<date>.json and docs/bench-cost-growth.svg.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { drawCostGrowthChart } from './chart';
import { transpileForBench } from './billing/compile';
import type { BareResult, FloorTiming, ScenarioInput, SettleResult } from './billing/scenario';
import type { SeededFleet } from './billing/seed';
import { type BenchTarget, createBenchDatabase, dropBenchDatabase, sqliteTarget } from './billing/bench-db';
import { benchDatabaseName, connect, serverUrl, unreachableReason } from './billing/database';
import { galeraPlan } from './billing/galera';
import { checksOk, printGrowth, printProfile, printScenarios, seconds } from './billing/print';
import {
  BARE_TARGET,
  floorGoalOf,
  growthPoints,
  growthSeries,
  growthVerdict,
  round2,
  type Scenario,
  scenario,
  type ScenarioResult,
} from './billing/series';

const ROOT = join(__dirname, '..');
/** Where transpileForBench put the plain-JS copy the phases run from. */
let compiled = '';
/** Sizes up to this many instance-hours are also settled with the bare SQL on the single server. */
const COMPARE_UP_TO = 100_000;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const has = (flag: string) => args.includes(flag);
  const sizes = sizesOf(args) ?? (has('--quick') ? [1_000, 10_000] : [10_000, 100_000, 1_000_000]);
  const target = benchTarget();
  const where = shownLocation(target);
  if (target.engine === 'mariadb') {
    const unreachable = await unreachableReason(new URL(target.location));
    if (unreachable) {
      console.log(`bench:billing skipped: MariaDB at ${where} is not reachable (${unreachable}).`);
      return;
    }
  }
  const environment = await describeTarget(target);
  console.log(`bench:billing on ${environment.server} at ${where}; sizes ${sizes.join(', ')} instance-hours`);

  const started = performance.now();
  compiled = transpileForBench(ROOT);
  console.log(`transpiled src, migrations and bench to ${compiled} in ${seconds(performance.now() - started)}`);

  const results: ScenarioResult[] = [];
  for (const s of growthSeries(sizes, 'single', COMPARE_UP_TO)) results.push(await runScenario(target, s));
  const goal = floorGoalOf(results);
  if (!has('--no-profile') && (has('--profile') || (goal.measured && !goal.met))) {
    results.push(await runScenario(target, scenario('hourly', 'single', 5_000, 1, true, true)));
  }

  let galeraSkipped: string | undefined;
  let galeraEnvironment: Awaited<ReturnType<typeof describeTarget>> | undefined;
  if (target.engine === 'sqlite') galeraSkipped = 'the run is on SQLite';
  else if (has('--no-galera')) galeraSkipped = '--no-galera';
  else {
    const galera = await galeraPlan(ROOT, has('--start-galera'));
    if ('skipped' in galera) galeraSkipped = galera.skipped;
    else {
      try {
        galeraEnvironment = await describeTarget(galera.target);
        console.log(`\n=== the growth series on ${galeraEnvironment.server} (Galera) at ${galera.shown} ===`);
        for (const s of growthSeries(sizes, 'galera', 0)) results.push(await runScenario(galera.target, s));
      } finally {
        galera.stop();
      }
    }
  }
  if (galeraSkipped) console.log(`\nGalera growth series skipped: ${galeraSkipped}`);

  printScenarios(results);
  const single = growthPoints(results, 'single');
  const galera = growthPoints(results, 'galera');
  printGrowth(single, galera);
  const compared = results.filter((r) => r.bareRatio !== undefined && !r.profile);
  const summary = {
    floorGoal: goal,
    bareTarget: BARE_TARGET,
    bareRatio: Object.fromEntries(compared.map((r) => [r.name, r.bareRatio])),
    bareRatioOk: compared.every((r) => (r.bareRatio as number) <= BARE_TARGET),
    floorRatio: Object.fromEntries(results.filter((r) => !r.profile).map((r) => [r.name, r.floorRatio])),
    growth: { single, galera, galeraSkipped, verdict: growthVerdict(single), galeraVerdict: growthVerdict(galera) },
    checksOk: results.every(checksOk),
  };
  console.log(
    `\nsettleDue / minimal floor, hourly run of 100,000 instances: ${
      goal.measured
        ? `${goal.ratio}× (${seconds(goal.settleDueMs)} against ${seconds(goal.floorMs)}) — goal ≤ ${goal.goal}×: ${goal.met ? 'MET' : 'MISSED'}`
        : `not measured (${goal.why})`
    }`,
  );
  console.log(
    `settleDue / bare SQL: ${compared.map((r) => `${r.bareRatio}× (${r.name})`).join(', ')} — target ≤ ${BARE_TARGET}×: ${
      summary.bareRatioOk ? 'OK' : 'ABOVE TARGET'
    }`,
  );
  for (const v of summary.growth.verdict) {
    if (!v.measured) continue;
    console.log(
      `${v.shape}: ${v.from} → ${v.to} instance-hours (${v.workGrew}× the work): time per instance-hour ×${v.timePerInstanceHourGrew}, ` +
        `peak RSS above baseline ${v.peakRssDeltaMiB.join(' → ')} MiB, heap kept after GC ${v.retainedHeapDeltaMiB.join(' → ')} MiB`,
    );
  }
  const profiled = results.find((r) => r.profile);
  if (profiled) printProfile(profiled);

  const directory = join(ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const engine = target.engine === 'sqlite' ? '-sqlite' : '';
  // Only a full run (all three sizes) is the dated record the README and the chart are drawn from.
  const partial = sizesOf(args) ? '-sizes' : has('--quick') ? '-quick' : '';
  const file = join(directory, `billing-${new Date().toISOString().slice(0, 10)}${engine}${partial}.json`);
  const report = {
    benchmark: 'billing',
    at: new Date().toISOString(),
    environment,
    galeraEnvironment,
    summary,
    results,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
  if (!partial && target.engine === 'mariadb') {
    const chart = join(ROOT, 'docs', 'bench-cost-growth.svg');
    drawCostGrowthChart(report, chart);
    console.log(`drew ${chart}`);
  }
  console.log(`verification: ${summary.checksOk ? 'OK' : 'FAIL'}`);
  if (!summary.checksOk) process.exitCode = 1;
}

/** `--sizes=10000,100000`: the instance-hours of the growth series. */
function sizesOf(args: string[]): number[] | undefined {
  const given = args.find((arg) => arg.startsWith('--sizes='));
  return given
    ?.slice('--sizes='.length)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
}

async function runScenario(target: BenchTarget, scenario: Scenario): Promise<ScenarioResult> {
  const database = benchDatabaseName();
  const input: ScenarioInput = { ...scenario, target, database, floorDatabase: `${database}_floor` };
  const databases = scenario.compare ? [input.database, input.floorDatabase] : [input.database];
  console.log(`\n▶ ${scenario.name}: ${scenario.accounts} accounts, ${scenario.hours} h due (${databases.join(', ')})`);
  for (const name of databases) await createBenchDatabase(target, name);
  try {
    const fleet = await runPhase<SeededFleet>('prepare', input);
    const copy = scenario.compare
      ? await runPhase<SeededFleet>('prepare', { ...input, database: input.floorDatabase })
      : undefined;
    console.log(
      `  seeded in ${seconds(fleet.seedMs)}${copy ? ` and the copy in ${seconds(copy.seedMs)}` : ''} ` +
        `(${fleet.instances} instances, ${fleet.usageReports} usage reports)`,
    );
    const settled = await runPhase<SettleResult>('settle', input);
    console.log(`  settleDue: ${seconds(settled.wallMs)}, checks ${settled.ok ? 'OK' : 'FAIL'}`);
    const bare = scenario.compare
      ? await runPhase<BareResult>('bare', { ...input, batchSize: settled.batchSize })
      : undefined;
    if (bare) {
      console.log(
        `  bare SQL:  ${seconds(bare.wallMs)}, checks and comparison with settleDue ${bare.ok ? 'OK' : 'FAIL'}`,
      );
    }
    const floor = await runPhase<FloorTiming>('floor', input);
    console.log(
      `  floor:     ${seconds(floor.wallMs)} (${floor.statements} statements), checks ${floor.ok ? 'OK' : 'FAIL'}`,
    );
    const { profile, statementKinds, batchSize, ...settlement } = settled;
    return {
      name: scenario.name,
      shape: scenario.shape,
      server: scenario.server,
      accounts: fleet.accounts,
      instances: fleet.instances,
      usageReports: fleet.usageReports,
      hours: scenario.hours,
      batchSize,
      seedMs: Math.round(fleet.seedMs),
      settlement,
      bareSql: bare,
      floor,
      bareRatio: bare ? round2(settled.wallMs / bare.wallMs) : undefined,
      floorRatio: round2(settled.wallMs / floor.wallMs),
      profile,
      statementKinds,
    };
  } finally {
    for (const name of databases) await dropBenchDatabase(target, name);
  }
}

function runPhase<T>(phase: 'prepare' | 'settle' | 'bare' | 'floor', input: ScenarioInput): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', join(compiled, 'bench', 'billing', 'scenario.js'), phase, JSON.stringify(input)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const lines = output.split('\n').filter(Boolean);
      const result = lines.find((line) => line.startsWith('BENCH_RESULT '));
      for (const line of lines) if (line !== result) console.log(`  ${line}`);
      if (code === 0 && result) resolve(JSON.parse(result.slice('BENCH_RESULT '.length)) as T);
      else reject(new Error(`${phase} phase of "${input.name}" exited with ${code}`));
    });
  });
}

/** DATABASE_URL=sqlite: for SQLite files; otherwise the MariaDB server serverUrl() picks. */
function benchTarget(): BenchTarget {
  if (process.env.DATABASE_URL?.startsWith('sqlite:')) return sqliteTarget();
  return { engine: 'mariadb', location: serverUrl().toString() };
}

function shownLocation(target: BenchTarget): string {
  if (target.engine === 'sqlite') return target.location;
  const shown = new URL(target.location);
  if (shown.password) shown.password = '***';
  return shown.host;
}

async function describeTarget(target: BenchTarget) {
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  if (target.engine === 'sqlite') {
    const { default: Sqlite } = await import('better-sqlite3');
    const memory = new Sqlite(':memory:');
    const { version } = memory.prepare('SELECT sqlite_version() AS version').get() as { version: string };
    memory.close();
    return { server: `SQLite ${version} (better-sqlite3)`, ...machine };
  }
  const db = await connect(new URL(target.location));
  const [rows] = (await db.query(
    `SELECT VERSION() AS version, @@innodb_buffer_pool_size AS bufferPool,
            @@innodb_flush_log_at_trx_commit AS flushAtCommit, @@log_bin AS binlog`,
  )) as [Record<string, string | number>[], unknown];
  await db.end();
  const [row] = rows;
  return {
    server: `MariaDB ${row.version}`,
    innodbBufferPoolMiB: Number(row.bufferPool) / 2 ** 20,
    innodbFlushLogAtTrxCommit: Number(row.flushAtCommit),
    binlog: Number(row.binlog) === 1,
    ...machine,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
