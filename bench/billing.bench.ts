/**
 * npm run bench:billing — how fast the hourly settlement is on MariaDB, against the same work done with bare
 * batched SQL, and whether its memory stays flat as the fleet grows.
 *
 *   npm run bench:billing                 10k and 100k instances for one hour, 10k instances × 24 missed hours
 *   npm run bench:billing -- --quick      the same shapes at a tenth of the size (a smoke run)
 *   npm run bench:billing -- --profile    also a profiled 10k run (done anyway when a ratio is above 2×)
 *   npm run bench:billing -- --no-profile never profile
 *
 * Uses DATABASE_URL when it is mysql:// (or mariadb://), else mysql://root@127.0.0.1:3306; DATABASE_URL=sqlite:
 * runs the same on SQLite files in the system's temporary folder. Each scenario has two databases of its own
 * (cloud_billing_bench_<random> and …_floor), seeded alike and dropped at the end: settleDue settles one, the bare
 * SQL the same hours of the other, and the two are compared row by row. Each phase (prepare, settle, bare SQL) has a
 * process of its own. When MariaDB cannot be reached it says why and exits 0.
 * Writes bench/results/billing-<date>.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { transpileForBench } from './billing/compile';
import type { CallStats } from './billing/profile';
import type { BareResult, ScenarioInput, SettleResult } from './billing/scenario';
import type { SeededFleet } from './billing/seed';
import { type BenchTarget, createBenchDatabase, dropBenchDatabase, sqliteTarget } from './billing/bench-db';
import { benchDatabaseName, connect, serverUrl, unreachableReason } from './billing/database';

/** The target: a settlement takes at most this many times the bare SQL for the same work. */
const TARGET_RATIO = 2;
const ROOT = join(__dirname, '..');
/** Where transpileForBench put the plain-JS copy the phases run from. */
let compiled = '';

type Scenario = Omit<ScenarioInput, 'target' | 'database' | 'floorDatabase' | 'batchSize'>;

interface ScenarioResult {
  name: string;
  accounts: number;
  instances: number;
  usageReports: number;
  hours: number;
  batchSize: number;
  seedMs: number;
  settlement: Omit<SettleResult, 'profile' | 'batchSize'>;
  bareSql: BareResult;
  /** settleDue wall time / bare SQL wall time. */
  ratio: number;
  profile?: Record<string, CallStats>;
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const scale = args.has('--quick') ? 0.1 : 1;
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
  console.log(`bench:billing on ${environment.server} at ${where}${scale < 1 ? ' (quick: a tenth of the size)' : ''}`);

  const started = performance.now();
  compiled = transpileForBench(ROOT);
  console.log(`transpiled src, migrations and bench to ${compiled} in ${seconds(performance.now() - started)}`);

  const small = 5_000 * scale;
  const large = 50_000 * scale;
  const scenario = (accounts: number, hours: number, profile = false): Scenario => ({
    name: `${hours === 1 ? 'hourly' : `catch-up ${hours} h`}, ${accounts * 2} instances${profile ? ', profiled' : ''}`,
    accounts,
    hours,
    profile,
  });
  const results: ScenarioResult[] = [];
  for (const s of [scenario(small, 1), scenario(large, 1), scenario(small, 24)]) {
    results.push(await runScenario(target, s));
  }
  const worstRatio = Math.max(...results.map((r) => r.ratio));
  if (!args.has('--no-profile') && (args.has('--profile') || worstRatio > TARGET_RATIO)) {
    results.push(await runScenario(target, scenario(small, 1, true)));
  }

  printTable(results);
  const [smallRun, largeRun] = results;
  const summary = {
    ratioTarget: TARGET_RATIO,
    ratio: Object.fromEntries(results.filter((r) => !r.profile).map((r) => [r.name, r.ratio])),
    ratioOk: results.filter((r) => !r.profile).every((r) => r.ratio <= TARGET_RATIO),
    peakRssDeltaMiB: {
      [smallRun.instances]: smallRun.settlement.peakRssDeltaMiB,
      [largeRun.instances]: largeRun.settlement.peakRssDeltaMiB,
    },
    peakHeapDeltaMiB: {
      [smallRun.instances]: smallRun.settlement.peakHeapDeltaMiB,
      [largeRun.instances]: largeRun.settlement.peakHeapDeltaMiB,
    },
    retainedHeapDeltaMiB: {
      [smallRun.instances]: smallRun.settlement.retainedHeapDeltaMiB,
      [largeRun.instances]: largeRun.settlement.retainedHeapDeltaMiB,
    },
    checksOk: results.every((r) => r.settlement.ok && r.bareSql.ok),
  };
  console.log(
    `\nsettleDue / bare SQL: ${results
      .filter((r) => !r.profile)
      .map((r) => `${r.ratio}× (${r.name})`)
      .join(', ')} — target ≤ ${TARGET_RATIO}×: ${summary.ratioOk ? 'OK' : 'ABOVE TARGET'}`,
  );
  console.log(
    `settleDue memory above baseline (peak RSS / peak heap / heap kept after GC): ` +
      [smallRun, largeRun]
        .map(
          (r) =>
            `${r.settlement.peakRssDeltaMiB} / ${r.settlement.peakHeapDeltaMiB} / ${r.settlement.retainedHeapDeltaMiB} MiB at ${r.instances} instances`,
        )
        .join(', '),
  );
  const profiled = results.find((r) => r.profile);
  if (profiled) printProfile(profiled);

  const directory = join(ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const engine = target.engine === 'sqlite' ? '-sqlite' : '';
  const file = join(
    directory,
    `billing-${new Date().toISOString().slice(0, 10)}${engine}${scale < 1 ? '-quick' : ''}.json`,
  );
  const report = { benchmark: 'billing', at: new Date().toISOString(), environment, summary, results };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
  console.log(`verification: ${summary.checksOk ? 'OK' : 'FAIL'}`);
  if (!summary.checksOk) process.exitCode = 1;
}

async function runScenario(target: BenchTarget, scenario: Scenario): Promise<ScenarioResult> {
  const database = benchDatabaseName();
  const input: ScenarioInput = { ...scenario, target, database, floorDatabase: `${database}_floor` };
  console.log(
    `\n▶ ${scenario.name}: ${scenario.accounts} accounts, ${scenario.hours} h due (databases ${database}, …_floor)`,
  );
  await createBenchDatabase(target, input.database);
  await createBenchDatabase(target, input.floorDatabase);
  try {
    const fleet = await runPhase<SeededFleet>('prepare', input);
    const floorFleet = await runPhase<SeededFleet>('prepare', { ...input, database: input.floorDatabase });
    console.log(
      `  seeded twice in ${seconds(fleet.seedMs)} and ${seconds(floorFleet.seedMs)} ` +
        `(${fleet.instances} instances, ${fleet.usageReports} usage reports each)`,
    );
    const settled = await runPhase<SettleResult>('settle', input);
    console.log(`  settleDue: ${seconds(settled.wallMs)}, checks ${settled.ok ? 'OK' : 'FAIL'}`);
    const bare = await runPhase<BareResult>('bare', { ...input, batchSize: settled.batchSize });
    console.log(
      `  bare SQL:  ${seconds(bare.wallMs)}, checks and comparison with settleDue ${bare.ok ? 'OK' : 'FAIL'}`,
    );
    const { profile, batchSize, ...settlement } = settled;
    return {
      name: scenario.name,
      accounts: fleet.accounts,
      instances: fleet.instances,
      usageReports: fleet.usageReports,
      hours: scenario.hours,
      batchSize,
      seedMs: Math.round(fleet.seedMs),
      settlement,
      bareSql: bare,
      ratio: round2(settled.wallMs / bare.wallMs),
      profile,
    };
  } finally {
    await dropBenchDatabase(target, input.database);
    await dropBenchDatabase(target, input.floorDatabase);
  }
}

function runPhase<T>(phase: 'prepare' | 'settle' | 'bare', input: ScenarioInput): Promise<T> {
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

const round2 = (n: number) => Math.round(n * 100) / 100;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function printTable(results: ScenarioResult[]): void {
  console.log('');
  console.table(
    results.map((r) => ({
      scenario: r.name,
      'inst-hours': r.settlement.instanceHours,
      settleDue: seconds(r.settlement.wallMs),
      'bare SQL': seconds(r.bareSql.wallMs),
      ratio: `${r.ratio}×`,
      'settleDue ih/s': r.settlement.instanceHoursPerSecond,
      'bare ih/s': r.bareSql.instanceHoursPerSecond,
      'ΔRSS MiB': r.settlement.peakRssDeltaMiB,
      'Δheap MiB': r.settlement.peakHeapDeltaMiB,
      'kept MiB': r.settlement.retainedHeapDeltaMiB,
      'bare ΔRSS': r.bareSql.peakRssDeltaMiB,
      checks: r.settlement.ok && r.bareSql.ok ? 'OK' : 'FAIL',
    })),
  );
  for (const r of results) {
    for (const [by, checks] of [
      ['settleDue', r.settlement.checks],
      ['bare SQL', r.bareSql.checks],
    ] as const) {
      for (const c of checks.filter((check) => !check.ok)) {
        console.log(`FAIL ${r.name}, after ${by}: ${c.name}: expected ${c.expected}, got ${c.actual}`);
      }
    }
  }
}

function printProfile(result: ScenarioResult): void {
  const batches = Math.max(1, result.settlement.batches);
  console.log(
    `\nwhere settleDue's time goes (${result.name}: ${seconds(result.settlement.wallMs)}, ` +
      `${result.settlement.batches} batches of ${result.batchSize} accounts), per batch:`,
  );
  console.table(
    Object.entries(result.profile ?? {}).map(([call, s]) => ({
      call,
      calls: round2(s.calls / batches),
      'self ms': round2(s.selfMs / batches),
      'SQL stmts': round2(s.queries / batches),
      'SQL ms': round2(s.queryMs / batches),
      share: `${((s.selfMs / result.settlement.wallMs) * 100).toFixed(1)}%`,
    })),
  );
  const bareBatches = Math.max(1, result.bareSql.batches);
  console.log('bare SQL, per batch:');
  console.table(Object.entries(result.bareSql.steps).map(([step, ms]) => ({ step, ms: round2(ms / bareBatches) })));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
