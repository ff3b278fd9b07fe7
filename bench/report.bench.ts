/**
 * npm run bench:report — how fast GET /me/usage answers on MariaDB for a user with 200 instances over a full
 * month of settled hours (20 of them resized mid-month: 220 report rows), among 1,000 other users' six months
 * of rollups. The month is settled by the real SettlementService (148,800 instance-hours), so the rollups the
 * report reads are the ones production writes; then the report is requested over HTTP, one request at a time.
 *
 *   npm run bench:report                    200 timed requests (after 20 warm-up ones)
 *   npm run bench:report -- --quick         50 timed requests
 *   npm run bench:report -- --requests 500
 *
 * Uses DATABASE_URL when it is mysql:// (or mariadb://), else mysql://root@127.0.0.1:3306, with a database of its
 * own (cloud_billing_bench_<random>) dropped at the end. When MariaDB cannot be reached it says why and exits 0.
 * Writes bench/results/report-<date>.json. Exits 1 when the report disagrees with the hourly rows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { parseCredits } from '../src/common/money';
import { DemoClock } from '../src/demo/demo-clock';
import { UsageReportService } from '../src/reports/usage-report.service';
import {
  call,
  INSTANCES,
  MONTH_START,
  OTHER_MONTHS,
  OTHER_USERS,
  RESIZED,
  seedOthers,
  seedUser,
  USER,
} from './report/seed';
import { withBenchHost } from './http/bench-host';

const TARGET_P50_MS = 50;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round1 = (n: number) => Math.round(n * 10) / 10;

interface Report {
  rows: { hours: number; cost: { credits: string } }[];
  total: { credits: string };
  daily: { cost: { credits: string } }[];
}

/** The report against the hourly rows it summarises (read here once, never by the report). */
async function verify(connection: Connection, report: Report) {
  const [[truth]] = (await connection.query(
    "SELECT SUM(charge) AS charge, SUM(billed_seconds) AS seconds FROM cloud_billing_usage WHERE user_id = ? AND month_key = '2026-01'",
    [USER],
  )) as unknown as [{ charge: string; seconds: string }[]];
  const micros = (credits: string) => parseCredits(credits);
  const checks = {
    rows: [report.rows.length, INSTANCES + RESIZED],
    totalMicros: [micros(report.total.credits), Number(truth.charge)],
    dailySumMicros: [report.daily.reduce((s, d) => s + micros(d.cost.credits), 0), Number(truth.charge)],
    days: [report.daily.length, 31],
    hours: [report.rows.reduce((s, r) => s + r.hours, 0), Number(truth.seconds) / 3600],
  };
  return { ok: Object.values(checks).every(([a, b]) => a === b), checks };
}

async function explain(connection: Connection): Promise<Record<string, string>> {
  const key = async (sql: string) => {
    const [rows] = (await connection.query(`EXPLAIN ${sql}`, [USER])) as unknown as [
      { table: string; key: string | null }[],
    ];
    return rows.map((row) => `${row.table}:${row.key ?? 'FULL SCAN'}`).join(' ');
  };
  return {
    monthly: await key("SELECT * FROM cloud_billing_monthly_usage m WHERE m.month_key = '2026-01' AND m.user_id = ?"),
    daily: await key(
      "SELECT day_key, SUM(charge) FROM cloud_billing_daily_usage d WHERE d.day_key >= '2026-01-01' AND d.day_key <= '2026-01-31' AND d.user_id = ? GROUP BY day_key",
    ),
  };
}

async function time(times: number, work: () => Promise<unknown>) {
  const latencies: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work();
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((s, l) => s + l, 0) / latencies.length;
  const stats = {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    mean,
  };
  return Object.fromEntries(Object.entries({ ...stats, max: latencies.at(-1) ?? 0 }).map(([k, v]) => [k, round1(v)]));
}

async function main(): Promise<void> {
  const argIndex = process.argv.indexOf('--requests');
  const requests = argIndex > 0 ? Number(process.argv[argIndex + 1]) : process.argv.includes('--quick') ? 50 : 200;
  await withBenchHost(
    'bench:report',
    { clockStart: new Date(MONTH_START) },
    async ({ app, port, agent, connection, server, database, version }) => {
      console.log(`bench:report on MariaDB ${version} at ${server.host} (database ${database})`);

      const settleMs = await seedUser(app, port, agent);
      console.log(`  settled ${INSTANCES} instances × 744 h with SettlementService in ${round1(settleMs / 1000)} s`);
      const seeded = performance.now();
      await seedOthers(connection);
      console.log(
        `  wrote ${OTHER_USERS} other users' rollups for ${OTHER_MONTHS.length} months in ${round1((performance.now() - seeded) / 1000)} s`,
      );
      app.get(DemoClock).set(new Date('2026-02-01T00:30:00Z'));

      const path = '/me/usage?month=2026-01';
      const first = await call(port, agent, 'GET', path, undefined, USER);
      if (first.status !== 200) throw new Error(`GET ${path}: ${first.status} ${first.body}`);
      const verification = await verify(connection, JSON.parse(first.body) as Report);
      const indexes = await explain(connection);
      console.log(
        `  report checked against the hourly rows: ${verification.ok ? 'OK' : 'FAIL'} ${JSON.stringify(verification.checks)}`,
      );
      console.log(`  indexes used: monthly ${indexes.monthly}; daily ${indexes.daily}`);

      await time(20, () => call(port, agent, 'GET', path, undefined, USER)); // warm-up: JIT, pool, buffer pool
      const http = await time(requests, async () => {
        const response = await call(port, agent, 'GET', path, undefined, USER);
        if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
      });
      const reports = app.get(UsageReportService);
      const service = await time(requests, () => reports.forUser(USER, '2026-01'));
      const ok = http.p50 <= TARGET_P50_MS;
      console.log(`\nGET /me/usage (${INSTANCES + RESIZED} rows, 31 days), ${requests} requests one at a time:`);
      console.log(
        `  over HTTP:            p50 ${http.p50} ms, p95 ${http.p95} ms, p99 ${http.p99} ms, max ${http.max} ms`,
      );
      console.log(`  UsageReportService:   p50 ${service.p50} ms, p95 ${service.p95} ms, p99 ${service.p99} ms`);
      console.log(`  target p50 ≤ ${TARGET_P50_MS} ms over HTTP: ${ok ? 'OK' : 'ABOVE TARGET'}`);

      const directory = join(__dirname, 'results');
      mkdirSync(directory, { recursive: true });
      const file = join(
        directory,
        `report-${new Date().toISOString().slice(0, 10)}${requests < 200 ? '-quick' : ''}.json`,
      );
      const result = {
        benchmark: 'report',
        at: new Date().toISOString(),
        server: version,
        requests,
        http,
        service,
        targetP50Ms: TARGET_P50_MS,
        targetMet: ok,
        settleMs: Math.round(settleMs),
        verification,
        indexes,
      };
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      console.log(`\nwrote ${file}`);
      if (!verification.ok) process.exitCode = 1;
    },
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
