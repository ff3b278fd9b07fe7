/**
 * npm run bench:placement — 100 concurrent creations in one location of 20 hypervisors on MariaDB, measured twice:
 *   placement  100 concurrent PlacementService.reserve calls: the location's row lock, the round-robin choice and
 *              the reservation written (what "placement" is);
 *   creation   100 concurrent POST /me/instances over HTTP: validation and the catalog and balance checks, the
 *              placement, the simulated host's create and the confirming transaction.
 * For each: placements per second, p50 / p99 latency, over-fills (hypervisors holding more than their capacity:
 * must be 0) and the spread of instances per hypervisor (max − min; 0 is a perfectly even spread). Then
 *   steady     200 POST /me/instances a second for 30 s (10 s with --quick), open loop from a process of its own
 *              (bench/placement/open-loop.ts): p50 / p99 from each request's scheduled send, failures, over-fills
 *              and spread counted by SQL afterwards, and the server's CPU, event loop delay and statement time per
 *              creation. Goal: p99 ≤ 100 ms, no failure, no over-fill.
 *
 *   npm run bench:placement                 5 rounds of each, every round in a fresh location
 *   npm run bench:placement -- --quick      1 round of each
 *   npm run bench:placement -- --rounds 20
 *   npm run bench:placement -- --profile    also a CPU profile of the server under the steady load, summed
 *
 * Uses DATABASE_URL when it is mysql:// (or mariadb://), else mysql://root@127.0.0.1:3306, with a database of its
 * own (cloud_billing_bench_placement_<random>) dropped at the end. When MariaDB cannot be reached it says why and
 * exits 0. Writes bench/results/placement-<date>.json. Exits 1 on an over-fill or a failed creation. Every
 * creating user is topped up first: creating needs credit for an hour of the instances.
 */
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AccountCreditDto } from '../src/accounts/account.dto';
import { AccountService } from '../src/accounts/account.service';
import { HypervisorService } from '../src/catalog/hypervisor.service';
import { LocationService } from '../src/catalog/location.service';
import { PlanGroupService } from '../src/catalog/plan-group.service';
import { PlanService } from '../src/catalog/plan.service';
import { createDemoApp } from '../src/demo/create-demo-app';
import { DemoHypervisorInventory } from '../src/demo/demo-ports';
import type { AuthenticatedUser } from '../src/host/ports';
import { PlacementService } from '../src/placement/placement.service';
import { profiled } from './http/profile';
import { timeStatements } from './http/statement-timer';
import type { OpenLoopResult } from './placement/open-loop';

const HYPERVISORS = 20;
const CONCURRENT = 100;
/** Room for 10 instances each: 200 slots for 100 creations, so a perfectly even spread (5 each) is possible. */
const SLOTS = 10;
const PLAN = { vcpus: 2, ramMb: 2048, diskGb: 40 };
const TARGET = { perSecond: 200, p99Ms: 100 };
/**
 * The steady load: 200 creations a second for 30 s, open loop, into a location of 40 hypervisors with room for
 * 160 each (6,400 slots for 6,000 creations, so none runs out and the spread shows), from 500 users.
 */
const STEADY = { perSecond: 200, seconds: 30, quickSeconds: 10, hypervisors: 40, slots: 160, users: 500, p99Ms: 100 };

interface Fleet {
  locationId: number;
  plan: typeof PLAN & { id: number; name: string };
}
type Attempt = (fleet: Fleet, index: number) => Promise<void>;

interface Round {
  wallMs: number;
  perSecond: number;
  latenciesMs: number[];
  failures: string[];
  overFills: number;
  perHypervisor: number[];
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round1 = (n: number) => Math.round(n * 10) / 10;
const spreadOf = (counts: number[]) => Math.max(...counts) - Math.min(...counts);

function serverUrl(): URL {
  const url = process.env.DATABASE_URL;
  const mysql = url && /^(mysql|mariadb):\/\//.test(url);
  const server = new URL(mysql ? url.replace(/^mariadb:/, 'mysql:') : 'mysql://root@127.0.0.1:3306/');
  server.pathname = '/';
  return server;
}

async function admin(server: URL, sql: string): Promise<unknown> {
  const connection = await createConnection({ uri: server.toString(), connectTimeout: 3_000 });
  try {
    return (await connection.query(sql))[0];
  } finally {
    await connection.end();
  }
}

let fleets = 0;
async function createFleet(
  app: INestApplication,
  hypervisors = HYPERVISORS,
  slots = SLOTS,
): Promise<Fleet & { ids: string[] }> {
  fleets += 1;
  const ids = Array.from({ length: hypervisors }, (_, i) => `f${fleets}-hv-${String(i).padStart(2, '0')}`);
  const [vcpus, ramMb, diskGb] = [PLAN.vcpus * slots, PLAN.ramMb * slots, PLAN.diskGb * slots];
  for (const id of ids) app.get(DemoHypervisorInventory).upsert({ id, name: id, vcpus, ramMb, diskGb, online: true });
  const entry = { name: `Bench ${fleets}`, slug: `bench-${fleets}` };
  const location = await app.get(LocationService).create(entry);
  await app.get(LocationService).setHypervisors(location.id, ids);
  const group = await app.get(PlanGroupService).create(entry);
  const plan = await app
    .get(PlanService)
    .create({ ...entry, groupId: group.id, ...PLAN, hourlyPrice: '1', locationIds: [location.id] });
  return { locationId: location.id, plan: { ...PLAN, id: plan.id, name: plan.name }, ids };
}

/** One round: a fresh fleet, `CONCURRENT` attempts started at once, then the fleet as the admin view shows it. */
async function runRound(app: INestApplication, attempt: Attempt): Promise<Round> {
  const fleet = await createFleet(app);
  const started = performance.now();
  const attempts = await Promise.all(
    Array.from({ length: CONCURRENT }, async (_, index) => {
      const begin = performance.now();
      const error = await attempt(fleet, index).then(
        () => null,
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      return { ms: performance.now() - begin, error };
    }),
  );
  const wallMs = performance.now() - started;
  const members = (await app.get(HypervisorService).fleet()).filter((view) => view.locationId === fleet.locationId);
  const keys = ['vcpus', 'ramMb', 'diskGb'] as const;
  const placed = attempts.filter((a) => a.error === null).length;
  return {
    wallMs,
    perSecond: (placed / wallMs) * 1000,
    latenciesMs: attempts.map((a) => a.ms),
    failures: attempts.flatMap((a) => (a.error === null ? [] : [a.error])),
    overFills: members.filter((view) => keys.some((key) => view.allocated[key] > view.capacity[key])).length,
    // Reservations count as placed: the placement scenario leaves its instances reserved, not created.
    perHypervisor: members.map((view) => view.instanceCount + view.provisioningCount),
  };
}

function summarize(rounds: Round[]) {
  const latencies = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const perSecond = rounds.map((r) => r.perSecond).sort((a, b) => a - b);
  const summary = {
    perSecondMedian: round1(perSecond[Math.floor(perSecond.length / 2)]),
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
    overFills: rounds.reduce((sum, r) => sum + r.overFills, 0),
    failures: rounds.reduce((sum, r) => sum + r.failures.length, 0),
    maxSpread: Math.max(...rounds.map((r) => spreadOf(r.perHypervisor))),
  };
  return { ...summary, targetMet: summary.perSecondMedian >= TARGET.perSecond && summary.p99Ms <= TARGET.p99Ms };
}

async function scenario(app: INestApplication, name: string, rounds: number, attempt: Attempt) {
  console.log(`\n${name}`);
  await runRound(app, attempt); // warm-up: connections, JIT, caches
  const results: Round[] = [];
  for (let i = 1; i <= rounds; i++) {
    const r = await runRound(app, attempt);
    results.push(r);
    const sorted = [...r.latenciesMs].sort((a, b) => a - b);
    console.log(
      `  round ${i}: ${round1(r.perSecond)}/s (${round1(r.wallMs)} ms for ${CONCURRENT}), ` +
        `p50 ${round1(percentile(sorted, 50))} ms, p99 ${round1(percentile(sorted, 99))} ms, ` +
        `over-fills ${r.overFills}, per hypervisor ${Math.min(...r.perHypervisor)}–${Math.max(...r.perHypervisor)}` +
        (r.failures.length ? `, ${r.failures.length} FAILED: ${r.failures[0]}` : ''),
    );
  }
  const summary = summarize(results);
  console.log(
    `  ${name}: ${summary.perSecondMedian} placements/s (median round), p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, ` +
      `over-fills ${summary.overFills}, spread ≤ ${summary.maxSpread} — target ≥ ${TARGET.perSecond}/s, ` +
      `p99 ≤ ${TARGET.p99Ms} ms: ${summary.targetMet ? 'OK' : 'MISSED'}`,
  );
  return { summary, rounds: results.map(({ latenciesMs: _latencies, ...rest }) => rest) };
}

/** A POST over a keep-alive connection pool, light enough not to compete with the server for the CPU. */
function createOverHttp(port: number): Attempt {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT });
  return (fleet, index) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ planId: fleet.plan.id, locationId: fleet.locationId, name: `bench-${index}` });
      const headers = { 'content-type': 'application/json', 'x-user-id': `bench-user-${index % 25}` };
      const req = request({ port, agent, method: 'POST', path: '/cloud-billing/me/instances', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`${res.statusCode} ${text}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * Instances placed on each of `hypervisors`, counted by SQL from the tables (live instances, and reservations not
 * yet confirmed into one), not through the service whose work is being checked.
 */
async function placedPerHypervisor(server: URL, database: string, hypervisors: string[]): Promise<number[]> {
  const rows = (await admin(
    server,
    `SELECT hypervisor_id AS id, COUNT(*) AS placed FROM (
       SELECT i.id, i.hypervisor_id FROM \`${database}\`.cloud_billing_instances i WHERE i.state <> 'terminated'
       UNION SELECT r.instance_id, r.hypervisor_id FROM \`${database}\`.cloud_billing_placement_reservations r
     ) placed GROUP BY hypervisor_id`,
  )) as { id: string; placed: number | string }[];
  const placed = new Map(rows.map((row) => [row.id, Number(row.placed)]));
  return hypervisors.map((id) => placed.get(id) ?? 0);
}

/**
 * 200 creations a second for `seconds`, open loop (bench/placement/open-loop.ts, a process of its own), against
 * this server: latencies from each request's scheduled moment, and where the server's time went meanwhile (its
 * CPU per creation, its event loop's delay, its database statements' time).
 */
async function steadyLoad(app: INestApplication, port: number, server: URL, database: string, seconds: number) {
  const fleet = await createFleet(app, STEADY.hypervisors, STEADY.slots);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpu = process.cpuUsage();
  const statements = timeStatements();
  const plan = {
    port,
    perSecond: STEADY.perSecond,
    seconds,
    planId: fleet.plan.id,
    locationId: fleet.locationId,
    users: STEADY.users,
  };
  const generate = () =>
    new Promise<OpenLoopResult>((resolve, reject) => {
      const child = fork(join(__dirname, 'placement', 'open-loop.ts'), [JSON.stringify(plan)], {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
      });
      let answer: OpenLoopResult | undefined;
      child.on('message', (message) => (answer = message as OpenLoopResult));
      child.on('error', reject);
      child.on('exit', (code) => (answer ? resolve(answer) : reject(new Error(`open-loop generator exited ${code}`))));
    });
  const profile = process.argv.includes('--profile') ? join(__dirname, 'results', 'placement.cpuprofile') : null;
  const { result, top } = profile ? await profiled(profile, generate) : { result: await generate(), top: [] };
  const db = statements.stop();
  const used = process.cpuUsage(cpu);
  loopDelay.disable();
  const perHypervisor = await placedPerHypervisor(server, database, fleet.ids);
  const latencies = [...result.latenciesMs].sort((a, b) => a - b);
  const created = result.scheduled - result.failures.length;
  const summary = {
    scheduled: result.scheduled,
    created,
    ratePerSecond: round1((created / result.wallMs) * 1000),
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
    maxMs: round1(latencies.at(-1) ?? 0),
    failures: result.failures.length,
    firstFailure: result.failures[0] ?? null,
    overFills: perHypervisor.filter((placed) => placed > STEADY.slots).length,
    placed: perHypervisor.reduce((sum, n) => sum + n, 0),
    spread: spreadOf(perHypervisor),
    generatorSendLagP99Ms: round1(result.sendLagP99Ms),
    server: {
      cpuMsPerCreation: round1((used.user + used.system) / 1000 / result.scheduled),
      eventLoopDelayP99Ms: round1(loopDelay.percentile(99) / 1e6),
      eventLoopDelayMaxMs: round1(loopDelay.max / 1e6),
      statementsPerCreation: round1(db.count / result.scheduled),
      statementMsPerCreation: round1(db.ms / result.scheduled),
      slowestStatements: [...db.bySql.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, 5)
        .map(([sql, t]) => `${(t.ms / t.count).toFixed(1)} ms × ${(t.count / result.scheduled).toFixed(2)}: ${sql}`),
    },
  };
  const goal = {
    p99Ms: `≤ ${STEADY.p99Ms}`,
    met: summary.p99Ms <= STEADY.p99Ms && summary.failures === 0 && summary.overFills === 0,
  };
  console.log(
    `\nsteady load (POST /me/instances over HTTP, open loop, ${STEADY.perSecond}/s for ${seconds} s = ${result.scheduled})\n` +
      `  ${summary.created} created at ${summary.ratePerSecond}/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, ` +
      `max ${summary.maxMs} ms (from the scheduled send), ${summary.failures} failed` +
      (summary.firstFailure ? ` (${summary.firstFailure})` : '') +
      `\n  from the database: ${summary.placed} placed, over-fills ${summary.overFills}, spread ${summary.spread} ` +
      `(${Math.min(...perHypervisor)}–${Math.max(...perHypervisor)} per hypervisor)` +
      `\n  server: ${summary.server.cpuMsPerCreation} ms CPU per creation, event loop delay p99 ` +
      `${summary.server.eventLoopDelayP99Ms} ms (max ${summary.server.eventLoopDelayMaxMs}), ` +
      `${summary.server.statementsPerCreation} statements per creation taking ${summary.server.statementMsPerCreation} ms; ` +
      `generator lag p99 ${summary.generatorSendLagP99Ms} ms` +
      `\n  goal p99 ≤ ${STEADY.p99Ms} ms, no failure, no over-fill: ${goal.met ? 'MET' : 'MISSED'}` +
      `\n  slowest statements (mean × per creation):\n    ${summary.server.slowestStatements.join('\n    ')}`,
  );
  if (profile) console.log(`\n  server CPU profile under the steady load (${profile}):\n    ${top.join('\n    ')}`);
  return { summary, goal };
}

async function main(): Promise<void> {
  const roundsArg = process.argv.indexOf('--rounds');
  const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : process.argv.includes('--quick') ? 1 : 5;
  const server = serverUrl();
  try {
    await admin(server, 'SELECT 1');
  } catch (error) {
    console.log(`bench:placement skipped: MariaDB at ${server.host} is not reachable (${(error as Error).message}).`);
    return;
  }
  const database = `cloud_billing_bench_placement_${randomBytes(4).toString('hex')}`;
  await admin(server, `CREATE DATABASE \`${database}\``);
  const [{ version }] = (await admin(server, 'SELECT VERSION() AS version')) as { version: string }[];
  let app: INestApplication | undefined;
  try {
    const databaseUrl = new URL(server.toString());
    databaseUrl.pathname = `/${database}`;
    const clockStart = new Date();
    app = await createDemoApp({
      databaseUrl: databaseUrl.toString(),
      admins: [],
      seed: false,
      manualClock: true,
      clockStart,
      port: 0,
    });
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    console.log(
      `bench:placement on MariaDB ${version} at ${server.host}: ${CONCURRENT} at once, ${HYPERVISORS} hypervisors`,
    );

    // Creating needs credit (an hour of the new instance and the others): every creating user is topped up first.
    const accounts = app.get(AccountService);
    const creators = [
      ...Array.from({ length: 25 }, (_, i) => `bench-user-${i}`),
      ...Array.from({ length: STEADY.users }, (_, i) => `steady-user-${i}`),
    ];
    for (const userId of creators) {
      await accounts.credit(
        userId,
        { amount: '1000000', reference: `bench-${userId}` } as AccountCreditDto,
        {
          id: 'bench-admin',
        } as AuthenticatedUser,
      );
    }

    const placement = app.get(PlacementService);
    const reserve: Attempt = async (fleet, index) => {
      const instanceId = `bench-${fleet.locationId}-${index}`;
      await placement.reserve({
        instanceId,
        userId: 'bench',
        name: instanceId,
        locationId: fleet.locationId,
        plan: fleet.plan,
      });
    };
    const placed = await scenario(app, 'placement (PlacementService.reserve)', rounds, reserve);
    const created = await scenario(app, 'creation (POST /me/instances over HTTP)', rounds, createOverHttp(port));
    const steady = await steadyLoad(app, port, server, database, rounds === 1 ? STEADY.quickSeconds : STEADY.seconds);

    const file = join(
      __dirname,
      'results',
      `placement-${new Date().toISOString().slice(0, 10)}${rounds === 1 ? '-quick' : ''}.json`,
    );
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    const report = {
      benchmark: 'placement',
      at: new Date().toISOString(),
      server: version,
      target: TARGET,
      placed,
      created,
      steady: { ...steady, load: STEADY },
    };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${file}`);
    const broken = [placed, created, steady].some(({ summary }) => summary.overFills > 0 || summary.failures > 0);
    if (broken) process.exitCode = 1;
  } finally {
    await app?.close();
    await admin(server, `DROP DATABASE IF EXISTS \`${database}\``);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
