/**
 * npm run bench:export — the admin's all-users usage CSV (GET /admin/usage.csv without userId) for a month of
 * 2,000 and then 10,000 users (3 instances each, so 6,000 and 30,000 rows) on MariaDB, downloaded over HTTP: its
 * time, its size and the server's peak live heap (sampled after full collections) above what it held before, at both sizes. Streamed by keyset pages of
 * users (reports.exportPageSize, 500), the peak stays flat as the users grow tenfold (goal: the peak at 10,000 users
 * within 2× the peak at 2,000); the JSON report of the same month (GET /admin/usage, built whole) is measured beside
 * it for contrast. The CSV is checked: one line per row, and its total line equal to the month's charges by SQL.
 *
 *   npm run bench:export
 *
 * The month's rollups are written directly by SQL (the report reads only those; settlement's own cost is
 * bench:billing's). Uses DATABASE_URL when it is mysql:// (or mariadb://), else mysql://root@127.0.0.1:3306, with a
 * database of its own dropped at the end; says why and exits 0 when MariaDB cannot be reached. Writes
 * bench/results/export-<date>.json. Exits 1 when the CSV disagrees with the rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Connection } from 'mysql2/promise';
import { formatCredits } from '../src/common/money';
import * as db from './billing/database';
import { call } from './report/seed';
import { withBenchHost } from './http/bench-host';

const MONTH = '2026-01';
const SIZES = [2_000, 10_000];
const INSTANCES_PER_USER = 3;
const GOAL_FLAT = 2;

setFlagsFromString('--expose-gc');
/** A full collection before each measurement, so the baseline is what the server keeps, not garbage. */
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Users [from, to): their instances' month rollups, by multi-row INSERTs. */
async function seedUsers(connection: Connection, from: number, to: number, plans: number[]): Promise<void> {
  const rows: unknown[][] = [];
  for (let u = from; u < to; u++) {
    const user = `user-${String(u).padStart(5, '0')}`;
    for (let i = 0; i < INSTANCES_PER_USER; i++) {
      const plan = plans[(u + i) % plans.length];
      const hours = 100 + ((u * 7 + i * 13) % 600);
      rows.push([
        `${user}-vm-${i}`,
        plan,
        MONTH,
        user,
        hours,
        hours * 3600,
        hours * 250_000 * (1 + (plan % 4)),
        250_000 * (1 + (plan % 4)),
      ]);
    }
  }
  const columns = 'instance_id, plan_id, month_key, user_id, hours, billed_seconds, charge, hourly_rate';
  for (let i = 0; i < rows.length; i += 2_000) {
    const { sql, params } = db.valuesClause(rows.slice(i, i + 2_000));
    await connection.query(`INSERT INTO cloud_billing_monthly_usage (${columns}) VALUES ${sql}`, params);
  }
}

/**
 * One GET, its body read as it arrives and kept only as counts and the last lines. Timed as it is; with
 * `liveHeap`, a full collection every 100 ms meanwhile and the heap's size after it sampled (the memory the server
 * holds live, not garbage waiting for a collection), the peak reported above the baseline before the request.
 */
async function download(port: number, path: string, liveHeap: boolean) {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = liveHeap
    ? setInterval(() => {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 100)
    : undefined;
  const started = performance.now();
  const agent = new Agent({ keepAlive: false });
  const body = await new Promise<{ status: number; bytes: number; lines: number; tail: string }>((resolve, reject) => {
    const req = request({ port, agent, path: `/cloud-billing${path}`, headers: { 'x-user-id': 'admin' } }, (res) => {
      let bytes = 0;
      let lines = 0;
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        lines += chunk.split('\r\n').length - 1;
        tail = (tail + chunk).slice(-4_000);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, lines, tail }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  return { ...body, ms: round1(ms), peakLiveHeapMiB: round1((peak - baseline) / MiB) };
}

/** Timed once as is, then once more for its live heap (the collections would slow the timed one). */
async function measure(port: number, path: string) {
  const timed = await download(port, path, false);
  const { peakLiveHeapMiB } = await download(port, path, true);
  return { ...timed, peakLiveHeapMiB };
}

async function main(): Promise<void> {
  await withBenchHost(
    'bench:export',
    { clockStart: new Date('2026-02-01T00:30:00Z') },
    async ({ port, agent, connection, server, database, version }) => {
      console.log(`bench:export on MariaDB ${version} at ${server.host} (database ${database})`);
      const group = JSON.parse(
        (await call(port, agent, 'POST', '/admin/plan-groups', { name: 'General', slug: 'g' })).body,
      );
      const plans: number[] = [];
      for (let i = 1; i <= 4; i++) {
        const plan = {
          groupId: group.id,
          name: `Plan ${i}`,
          slug: `plan-${i}`,
          vcpus: 1,
          ramMb: 1024,
          diskGb: 20,
          hourlyPrice: String(i / 4),
        };
        plans.push(JSON.parse((await call(port, agent, 'POST', '/admin/plans', plan)).body).id);
      }

      const results = [];
      let seeded = 0;
      for (const users of SIZES) {
        await seedUsers(connection, seeded, users, plans);
        seeded = users;
        const [[truth]] = (await connection.query(
          'SELECT COUNT(*) AS rowCount, SUM(charge) AS charge FROM cloud_billing_monthly_usage WHERE month_key = ?',
          [MONTH],
        )) as unknown as [{ rowCount: string; charge: string }[]];
        await download(port, `/admin/usage.csv?month=${MONTH}`, false); // warm-up: JIT, pool
        const csv = await measure(port, `/admin/usage.csv?month=${MONTH}`);
        const json = await measure(port, `/admin/usage?month=${MONTH}`);
        const totalLine = csv.tail.split('\r\n').find((line) => line.startsWith('Total,')) ?? '';
        const checks = {
          status: [csv.status, 200],
          lines: [csv.lines, Number(truth.rowCount) + 2],
          totalCredits: [totalLine.split(',').at(-2), formatCredits(Number(truth.charge))],
        };
        const ok = Object.values(checks).every(([a, b]) => a === b);
        const { tail: _csvTail, ...csvFigures } = csv;
        const { tail: _jsonTail, ...jsonFigures } = json;
        results.push({ users, rows: Number(truth.rowCount), csv: csvFigures, json: jsonFigures, checks, ok });
        console.log(
          `  ${users} users (${truth.rowCount} rows): CSV ${round1(csv.bytes / MiB)} MiB in ${csv.ms} ms, peak live heap +${csv.peakLiveHeapMiB} MiB` +
            ` — JSON report (built whole) ${json.ms} ms, peak live heap +${json.peakLiveHeapMiB} MiB; checks ${ok ? 'OK' : `FAIL ${JSON.stringify(checks)}`}`,
        );
      }
      const [small, large] = results;
      const ratio = large.csv.peakLiveHeapMiB / Math.max(0.1, small.csv.peakLiveHeapMiB);
      const goal = {
        goal: `peak heap at ${SIZES[1]} users ≤ ${GOAL_FLAT}× the peak at ${SIZES[0]}`,
        measured: round1(ratio),
        met: ratio <= GOAL_FLAT,
      };
      console.log(
        `  peak heap ${SIZES[1]} vs ${SIZES[0]} users: ${goal.measured}× for the CSV (goal ≤ ${GOAL_FLAT}×): ${goal.met ? 'MET' : 'MISSED'}` +
          ` (the JSON report: ${round1(large.json.peakLiveHeapMiB / Math.max(0.1, small.json.peakLiveHeapMiB))}×)`,
      );
      const directory = join(__dirname, 'results');
      mkdirSync(directory, { recursive: true });
      const file = join(directory, `export-${new Date().toISOString().slice(0, 10)}.json`);
      const result = {
        benchmark: 'export',
        at: new Date().toISOString(),
        server: version,
        month: MONTH,
        pageSize: 500,
        results,
        goal,
      };
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\nwrote ${file}`);
      if (results.some((r) => !r.ok)) process.exitCode = 1;
    },
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
